import { flagOf, optionalUrl, type SettingDefinition } from '../setting-builders'

/**
 * Where the setup panel downloads the embedded engine's models from. Empty:
 * the URLs in resources/onboarding/recommended-models.json. A mirror given
 * here must publish each file's sha256 (X-Linked-Etag, as Hugging Face does),
 * or the download is refused as unverifiable.
 */
export const ONBOARDING_SETTINGS = {
  'onboarding.embeddedChatUrl': optionalUrl({
    category: 'Model servers',
    label: 'Built-in engine’s chat model from',
    description:
      'Where the built-in engine’s chat model (a GGUF file) is downloaded from during setup. Leave empty for the recommended one.',
    env: ['KOS_ONBOARDING_EMBEDDED_CHAT_URL'],
    applies: 'live'
  }),
  'onboarding.embeddedEmbeddingUrl': optionalUrl({
    category: 'Model servers',
    label: 'Built-in engine’s embedding model from',
    description:
      'Where the built-in engine’s embedding model (a GGUF file) is downloaded from during setup. Leave empty for the recommended one.',
    env: ['KOS_ONBOARDING_EMBEDDED_EMBEDDING_URL'],
    applies: 'live'
  }),
  // Kept by the core, not the window: "Not now" holds across reloads, windows and the browser host alike.
  'onboarding.postponed': flagOf(false, {
    category: 'General',
    label: 'Setup panel put aside',
    description:
      'On after “Not now” in the setup panel: it stays folded to one line until “Show setup” or until the corporation can work.',
    env: ['KOS_ONBOARDING_POSTPONED'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
