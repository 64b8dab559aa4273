import type { ConfigService } from '../config/config-service'
import type { Logger } from '../log/logger'
import type { SecretStore } from '../secrets/secret-store'

/** The secrets-store name of the webhook URL: a Slack incoming-webhook URL is itself the credential. */
export const WEBHOOK_SECRET = 'notify:webhookUrl'

export type WebhookUrlSource = 'environment' | 'keychain' | 'settings' | null

/**
 * The URL to post to, and where it came from: the environment or the command
 * line first (what this process was started with), then the secrets store,
 * then the settings file (only where no keychain can keep it).
 */
export function webhookUrl(
  config: Pick<ConfigService, 'get' | 'snapshot'>,
  secrets: Pick<SecretStore, 'get'>
): { url: string; from: WebhookUrlSource } {
  const value = config.get('notify.webhookUrl')
  const source = config.snapshot().settings.find((s) => s.key === 'notify.webhookUrl')?.source.kind
  if (value !== '' && (source === 'env' || source === 'cli')) return { url: value, from: 'environment' }
  const stored = secrets.get(WEBHOOK_SECRET)
  if (stored) return { url: stored, from: 'keychain' }
  return value === '' ? { url: '', from: null } : { url: value, from: 'settings' }
}

export type WebhookMove = 'moved' | 'no_keychain' | 'file_unwritable' | 'nothing'

/**
 * Moves a webhook URL saved in the settings file into the secrets store and
 * removes it from the file. Run at start (a value from an older version) and
 * on every settings change (a value saved in the Settings view). Without a
 * keychain the value stays where it is and the log says why, once per value.
 */
export function createWebhookSecretMover(deps: {
  config: Pick<ConfigService, 'snapshot' | 'reset'>
  secrets: Pick<SecretStore, 'where' | 'set'>
  log: Logger
}): () => WebhookMove {
  let warnedFor: string | null = null
  return () => {
    const entry = deps.config.snapshot().settings.find((s) => s.key === 'notify.webhookUrl')
    const plain = typeof entry?.userValue === 'string' ? entry.userValue : ''
    if (plain === '') return 'nothing'
    const { store, unavailableReason } = deps.secrets.where()
    if (!store) {
      if (warnedFor !== plain)
        deps.log.warn('webhook URL kept in the settings file: no keychain here', { reason: unavailableReason })
      warnedFor = plain
      return 'no_keychain'
    }
    // Stored first, then removed from the file: a failure in between leaves it in both places, never in neither.
    deps.secrets.set(WEBHOOK_SECRET, plain)
    const removed = deps.config.reset('notify.webhookUrl')
    if (!removed.ok) {
      // Kept in the keychain and still in the file (a file the disk would not take): the next change or start tries again.
      deps.log.warn('webhook URL stored in the secrets store but still in the settings file', {
        reason: removed.reason
      })
      return 'file_unwritable'
    }
    deps.log.info('webhook URL moved from the settings file into the secrets store', { store })
    return 'moved'
  }
}
