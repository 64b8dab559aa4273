import { z } from 'zod'
import type { RecommendedModels } from '../../shared/contract/onboarding-contract'
import type { ConfigService } from '../config/config-service'

// Bundled at build time, like the profiles: the list is a resource of the app, not a user file.
const bundled = Object.values(
  import.meta.glob<unknown>('../../../resources/onboarding/recommended-models.json', { eager: true, import: 'default' })
)[0]

const GgufSchema = z.strictObject({
  model: z.string().regex(/^[\w.-]+$/, 'a model name usable as a file name'),
  url: z.url(),
  sizeBytes: z.number().int().positive().nullable(),
  /** null: the sha256 its server publishes is used (Hugging Face's X-Linked-Etag). */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
})
const RecommendedFileSchema = z.strictObject({
  ollama: z.strictObject({ chat: z.string().min(1), embedding: z.string().min(1) }),
  embedded: z.strictObject({ chat: GgufSchema, embedding: GgufSchema })
})
export type RecommendedFile = z.infer<typeof RecommendedFileSchema>
export type GgufEntry = z.infer<typeof GgufSchema>

/** The bundled list, checked once; a broken file is a build defect, named here. */
export function bundledRecommendations(data: unknown = bundled): RecommendedFile {
  const parsed = RecommendedFileSchema.safeParse(data)
  if (!parsed.success)
    throw new Error(`resources/onboarding/recommended-models.json is invalid: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/**
 * The recommendations with the download URLs from Settings applied. A file's
 * sha256 from the list belongs to its URL only: once the URL is overridden,
 * the checksum comes from the new server.
 */
export function effectiveRecommendations(
  file: RecommendedFile,
  config: Pick<ConfigService, 'get'>
): { readonly models: RecommendedModels; readonly ggufs: Record<'chat' | 'embedding', GgufEntry> } {
  const override = (entry: GgufEntry, url: string): GgufEntry =>
    url.trim() && url.trim() !== entry.url ? { ...entry, url: url.trim(), sha256: null } : entry
  const chat = override(file.embedded.chat, config.get('onboarding.embeddedChatUrl'))
  const embedding = override(file.embedded.embedding, config.get('onboarding.embeddedEmbeddingUrl'))
  const shown = (e: GgufEntry) => ({ model: e.model, url: e.url, sizeBytes: e.sizeBytes })
  return {
    models: { ollama: { ...file.ollama }, embedded: { chat: shown(chat), embedding: shown(embedding) } },
    ggufs: { chat, embedding }
  }
}
