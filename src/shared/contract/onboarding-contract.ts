import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { PullProgressSchema } from './models-contract'

/**
 * Calls and events of onboarding (`onboarding.*`): what stands between this
 * Mac and a working corporation, in plain words, and the fixes the app can
 * make itself (start Ollama, pull the recommended models, download the
 * embedded engine's models). Adding a node by URL is `models.addNode`.
 */

/** How Ollama on this Mac looks from the app. */
export const OllamaStateSchema = z.enum([
  /** Not scanned yet. */
  'checking',
  'not_installed',
  'not_running',
  'starting',
  /** It answers, but lists no models while other users' folders hold some. */
  'other_user',
  'running'
])
export type OllamaState = z.infer<typeof OllamaStateSchema>

export const OnboardingFixSchema = z.enum(['start_ollama', 'pull_models', 'download_embedded', 'add_node'])
export type OnboardingFix = z.infer<typeof OnboardingFixSchema>

export const OnboardingProblemSchema = z.strictObject({
  kind: z.enum([
    'ollama_not_installed',
    'ollama_not_running',
    'ollama_starting',
    'ollama_other_user',
    'no_chat_model',
    'no_embedding_model',
    'node_down'
  ]),
  /** One line a person understands: "Ollama is not running". */
  title: z.string(),
  /** What it means and what to do, naming the server, the URL and the model. */
  detail: z.string(),
  /** The fix the app can make for it; null when only the person can (install Ollama, quit the other user's). */
  fix: OnboardingFixSchema.nullable()
})
export type OnboardingProblem = z.infer<typeof OnboardingProblemSchema>

export const OnboardingNodeSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  url: z.string(),
  kind: z.enum(['ollama', 'openai', 'embedded']),
  state: z.enum(['unknown', 'up', 'down']),
  chatModels: z.array(z.string()),
  embeddingModels: z.array(z.string())
})
export type OnboardingNode = z.infer<typeof OnboardingNodeSchema>

export const EmbeddedDownloadSchema = z.strictObject({
  role: z.enum(['chat', 'embedding']),
  model: z.string(),
  url: z.string(),
  state: z.enum(['downloading', 'verifying', 'done', 'failed']),
  downloadedBytes: z.number(),
  totalBytes: z.number().nullable(),
  error: z.string().nullable()
})
export type EmbeddedDownload = z.infer<typeof EmbeddedDownloadSchema>

export const RecommendedModelsSchema = z.strictObject({
  ollama: z.strictObject({ chat: z.string(), embedding: z.string() }),
  embedded: z.strictObject({
    chat: z.strictObject({ model: z.string(), url: z.string(), sizeBytes: z.number().nullable() }),
    embedding: z.strictObject({ model: z.string(), url: z.string(), sizeBytes: z.number().nullable() })
  })
})
export type RecommendedModels = z.infer<typeof RecommendedModelsSchema>

export const OnboardingStatusSchema = z.strictObject({
  /** True when a chat model and the embedding model answer somewhere: the setup panel is not needed. */
  ready: z.boolean(),
  /** False until the first scan of the model servers ended: nothing is said before it is known. */
  checked: z.boolean(),
  ollama: z.strictObject({ state: OllamaStateSchema, url: z.string(), detail: z.string().nullable() }),
  /** Where Ollama's models would be pulled: the first reachable Ollama node, or null. */
  pullNode: z.string().nullable(),
  nodes: z.array(OnboardingNodeSchema),
  problems: z.array(OnboardingProblemSchema),
  recommended: RecommendedModelsSchema,
  embeddedEnabled: z.boolean(),
  /** The person chose "Not now": the panel shows folded to one line (setting onboarding.postponed). */
  postponed: z.boolean(),
  downloads: z.array(EmbeddedDownloadSchema)
})
export type OnboardingStatus = z.infer<typeof OnboardingStatusSchema>

export const ONBOARDING_CALLS = {
  'onboarding.status': call({
    scope: 'read',
    summary: 'What stands between this Mac and a working corporation, with the fixes the app can make.',
    input: EmptyInputSchema,
    output: OnboardingStatusSchema
  }),
  'onboarding.startOllama': call({
    scope: 'write',
    summary: 'Start `ollama serve` under the supervisor (its mode becomes manage if it was off).',
    input: EmptyInputSchema,
    output: OnboardingStatusSchema
  }),
  'onboarding.pullModels': call({
    scope: 'write',
    summary:
      'Pull the recommended chat and embedding models that are missing onto an Ollama node; progress arrives as models.pullProgress.',
    input: z.strictObject({ node: z.string().min(1).optional() }),
    output: z.array(PullProgressSchema)
  }),
  'onboarding.downloadEmbedded': call({
    scope: 'write',
    summary:
      'Download and verify the recommended GGUF chat and embedding models for the embedded engine, then turn it on; progress arrives as onboarding.changed.',
    input: EmptyInputSchema,
    output: OnboardingStatusSchema
  })
} as const

export const ONBOARDING_EVENTS = {
  'onboarding.changed': OnboardingStatusSchema
} as const
