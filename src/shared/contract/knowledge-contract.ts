import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call, type CallSpec } from './define'
import { callMaxBytes } from './limits'
import { NextCursorSchema, pageInput } from './paging'

export const KnowledgeNodeSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  domain: z.string().nullable(),
  source: z.string().nullable(),
  confidenceScore: z.number(),
  usageCount: z.number().int(),
  chunkCount: z.number().int(),
  chars: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type KnowledgeNodeSummary = z.infer<typeof KnowledgeNodeSummarySchema>

export const KnowledgeNodeSchema = KnowledgeNodeSummarySchema.extend({ content: z.string() })
export type KnowledgeNode = z.infer<typeof KnowledgeNodeSchema>

const ModelRefSchema = z.strictObject({ id: z.string(), dimension: z.number().int() })

/** What the background embedder is doing. */
export const EmbeddingStatusSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('off'), reason: z.string() }),
  z.strictObject({ state: z.literal('waiting'), reason: z.string() }),
  z.strictObject({ state: z.literal('model_changed'), active: ModelRefSchema, current: ModelRefSchema }),
  z.strictObject({
    state: z.literal('embedding'),
    model: ModelRefSchema,
    done: z.number().int(),
    total: z.number().int(),
    rebuilding: z.boolean()
  }),
  z.strictObject({ state: z.literal('idle'), model: ModelRefSchema }),
  z.strictObject({ state: z.literal('failed'), model: ModelRefSchema, reason: z.string() })
])
export type EmbeddingStatus = z.infer<typeof EmbeddingStatusSchema>

export const KnowledgeStatsSchema = z.strictObject({
  nodes: z.number().int(),
  chunks: z.number().int(),
  embeddedChunks: z.number().int(),
  /** 0…100, of the active collection. */
  embeddedPercent: z.number(),
  bytesOnDisk: z.number().int(),
  collection: z.strictObject({ modelId: z.string(), dimension: z.number().int(), createdAt: z.string() }).nullable(),
  embedding: EmbeddingStatusSchema,
  domains: z.array(z.string()),
  responseCacheEntries: z.number().int()
})
export type KnowledgeStats = z.infer<typeof KnowledgeStatsSchema>

export const SnippetPartSchema = z.strictObject({ text: z.string(), hit: z.boolean() })

export const SearchHitSchema = z.strictObject({
  node: KnowledgeNodeSummarySchema,
  chunkOrdinal: z.number().int(),
  /** Reciprocal rank fusion score: higher is better. */
  score: z.number(),
  lexical: z.strictObject({ rank: z.number().int(), bm25: z.number() }).nullable(),
  vector: z.strictObject({ rank: z.number().int(), similarity: z.number() }).nullable(),
  snippet: z.array(SnippetPartSchema)
})
export type SearchHit = z.infer<typeof SearchHitSchema>

export const SearchOutputSchema = z.strictObject({
  mode: z.enum(['hybrid', 'lexical']),
  lexicalReason: z.string().nullable(),
  hits: z.array(SearchHitSchema),
  tookMs: z.number()
})
export type KnowledgeSearchOutput = z.infer<typeof SearchOutputSchema>

const FilterFields = {
  domain: z.string().min(1).max(200).optional(),
  source: z.string().min(1).max(4096).optional()
}

export const SearchInputSchema = z.strictObject({
  query: z.string().min(1, 'Type something to search for.').max(4000),
  topK: z.number().int().min(1).max(100).optional(),
  ...FilterFields
})

export const ImportReportSchema = z.strictObject({
  root: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  chunks: z.number().int(),
  skipped: z.array(z.strictObject({ path: z.string(), reason: z.string() })),
  durationMs: z.number()
})
export type ImportReport = z.infer<typeof ImportReportSchema>

export const ImportProgressSchema = z.strictObject({
  root: z.string(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  current: z.string().nullable(),
  done: z.boolean()
})
export type ImportProgress = z.infer<typeof ImportProgressSchema>

export const RagContextSchema = z.strictObject({
  query: z.string(),
  text: z.string(),
  tokens: z.number().int(),
  sources: z.array(
    z.strictObject({
      nodeId: z.string(),
      title: z.string(),
      source: z.string().nullable(),
      full: z.boolean(),
      chars: z.number().int()
    })
  ),
  mode: z.enum(['hybrid', 'lexical']),
  lexicalReason: z.string().nullable(),
  cached: z.boolean()
})
export type RagContext = z.infer<typeof RagContextSchema>

/** Documents per page of `knowledge.list`, and the most one call returns. */
export const KNOWLEDGE_PAGE_SIZE = 200
export const KNOWLEDGE_PAGE_MAX = 1000

/** Calls and events of the knowledge capability. */
export const KNOWLEDGE_CALLS = {
  'knowledge.stats': call({
    scope: 'read',
    summary: 'Nodes, chunks, share embedded, size on disk, the collection and what the embedder is doing.',
    input: EmptyInputSchema,
    output: KnowledgeStatsSchema
  }),
  'knowledge.list': call({
    scope: 'read',
    summary:
      'One page of documents, most recently changed first, with a cursor to the next; the first page also has the total.',
    input: z.strictObject({ ...pageInput(KNOWLEDGE_PAGE_SIZE, KNOWLEDGE_PAGE_MAX), ...FilterFields }),
    output: z.strictObject({
      nodes: z.array(KnowledgeNodeSummarySchema),
      /** On the first page only; null after it. */
      total: z.number().int().nullable(),
      nextCursor: NextCursorSchema
    })
  }),
  'knowledge.get': call({
    scope: 'read',
    summary: 'One document in full.',
    input: z.strictObject({ id: z.string().min(1) }),
    output: KnowledgeNodeSchema
  }),
  'knowledge.search': call({
    scope: 'read',
    summary:
      'Hybrid search: full text and meaning fused by rank; lexical only when no embedding model is reachable, and says why.',
    input: SearchInputSchema,
    output: SearchOutputSchema
  }),
  'knowledge.context': call({
    scope: 'read',
    summary: 'The RAG context the agents would be given for a question.',
    input: z.strictObject({ query: z.string().min(1).max(4000), ...FilterFields }),
    output: RagContextSchema
  }),
  'knowledge.addText': call({
    scope: 'write',
    summary: 'Adds one document from text, or with replace and a source, updates the one filed under that source.',
    input: z.strictObject({
      title: z.string().trim().min(1, 'Give the document a title.').max(500),
      // What one call carries, less room for the other fields; the bytes themselves are checked at every edge.
      content: z
        .string()
        .min(1, 'The document is empty.')
        .max(
          callMaxBytes('knowledge.addText') - 8 * 1024,
          'The text is too long for one call: save it as a file and import that instead.'
        ),
      domain: z.string().trim().min(1).max(200).optional(),
      source: z.string().trim().min(1).max(4096).optional(),
      /** With a source: the document already filed under it is replaced (its id kept) instead of a second one added. */
      replace: z.boolean().optional()
    }),
    output: KnowledgeNodeSummarySchema
  }),
  'knowledge.importFolder': call({
    scope: 'write',
    summary:
      'Imports every text, Markdown and source file under a folder (or one file); a file imported before is updated, not duplicated.',
    input: z.strictObject({
      path: z.string().trim().min(1, 'Type the path of a folder.').max(4096),
      domain: z.string().trim().min(1).max(200).optional()
    }),
    output: ImportReportSchema
  }),
  'knowledge.delete': call({
    scope: 'write',
    summary: 'Deletes one document with its chunks and vectors.',
    input: z.strictObject({ id: z.string().min(1) }),
    output: z.strictObject({ deleted: z.literal(true) })
  }),
  'knowledge.reembed': call({
    scope: 'write',
    summary:
      'Re-embeds every chunk with the current model into a new collection, swapped in when complete; resumes after a restart.',
    input: EmptyInputSchema,
    output: EmbeddingStatusSchema
  }),
  'knowledge.rebuildIndex': call({
    scope: 'write',
    summary:
      "Rebuilds the full-text index from the stored chunks (FTS5 'rebuild'), after a backup copy of the database; the fix for a damaged index.",
    input: EmptyInputSchema,
    output: z.strictObject({ chunks: z.number().int(), recreated: z.boolean(), backup: z.string() })
  }),
  'knowledge.clearResponseCache': call({
    scope: 'write',
    summary: 'Forgets every cached answer.',
    input: EmptyInputSchema,
    output: z.strictObject({ removed: z.number().int() })
  })
} as const satisfies Record<string, CallSpec>

export const KNOWLEDGE_EVENTS = {
  /** Documents were added, changed or deleted, or the embedder moved on. */
  'knowledge.changed': KnowledgeStatsSchema,
  'knowledge.importProgress': ImportProgressSchema
} as const satisfies Record<string, z.ZodType>
