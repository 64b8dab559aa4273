import { dirname } from 'node:path'
import type { ConfigSnapshot } from '../../shared/contract/config-contract'
import { describeStorageFailure, failedFolder, freeBytes } from '../platform/storage-failure'
import type { HandlersFor } from '../rpc/handler-types'
import { SETTINGS, isSettingKey } from './setting-definitions'
import { refuse, type Refusal } from '../rpc/refusal'
import type { ConfigOutcome, ConfigService } from './config-service'

/**
 * A refused change names every bad value at its key, so a group's Save can
 * show each beside its field; a settings file the disk would not take is
 * said as every other refused write is (the folder, the free space, what to do).
 */
async function answer(outcome: ConfigOutcome): Promise<ConfigSnapshot | Refusal> {
  if (outcome.ok) return outcome.snapshot
  if (outcome.reason === 'unwritable') {
    const dir = failedFolder(outcome.failure, dirname(outcome.file))
    return refuse('unavailable', describeStorageFailure(outcome.failure, dir, await freeBytes(dir)))
  }
  return refuse('invalid_input', outcome.problems.map((p) => p.message).join(' '), {
    issues: outcome.problems.map((p) => ({ path: p.key, message: p.message }))
  })
}

/** A value as the log may show it: a secret setting's (a Slack webhook URL) never is. */
const shown = (key: string, value: unknown): unknown =>
  isSettingKey(key) && SETTINGS[key].secret ? '(secret, not logged)' : value

export function configHandlers(config: ConfigService): HandlersFor<'config'> {
  return {
    'config.get': () => config.snapshot(),
    'config.set': ({ key, value }, ctx) => {
      const outcome = config.set(key, value)
      if (outcome.ok) ctx.log.info('setting changed', { key, value: shown(key, value) })
      return answer(outcome)
    },
    'config.setMany': ({ changes }, ctx) => {
      const outcome = config.setMany(changes)
      if (outcome.ok)
        ctx.log.info('settings changed', {
          changes: changes.map((c) => `${c.key}=${JSON.stringify(shown(c.key, c.value))}`)
        })
      return answer(outcome)
    },
    'config.reset': ({ key }, ctx) => {
      const outcome = config.reset(key)
      if (outcome.ok) ctx.log.info('setting reset', { key })
      return answer(outcome)
    }
  }
}
