import { decimal, integer, type SettingDefinition } from '../setting-builders'

/**
 * The knowledge base: chunking, search, RAG context and the caches. The RAG
 * variable names of the system this replaces (RAG_SNIPPET_CHARS, …) are read
 * too, so an operator's existing environment keeps working.
 */
export const KNOWLEDGE_SETTINGS = {
  'knowledge.chunkTokens': integer(64, 8192, 'tokens', 512, {
    category: 'Knowledge',
    label: 'Chunk size',
    description: 'Size of one chunk of an imported document. Applies to documents imported afterwards.',
    env: ['KOS_KNOWLEDGE_CHUNK_TOKENS'],
    applies: 'live'
  }),
  'knowledge.chunkOverlapPercent': integer(0, 50, '%', 10, {
    category: 'Knowledge',
    label: 'Chunk overlap',
    description:
      'How much of the end of a chunk is repeated at the start of the next, so a sentence cut in two is still found whole.',
    env: ['KOS_KNOWLEDGE_CHUNK_OVERLAP_PERCENT'],
    applies: 'live'
  }),
  'knowledge.topK': integer(1, 100, 'hits', 5, {
    category: 'Knowledge',
    label: 'Search results',
    description: 'How many documents a search returns.',
    env: ['KOS_KNOWLEDGE_TOP_K'],
    applies: 'live'
  }),
  'knowledge.minSimilarity': decimal(0, 1, 0.7, {
    category: 'Knowledge',
    label: 'Minimum similarity',
    description: 'Lowest cosine similarity (0…1) at which a document counts as a match by meaning.',
    env: ['KOS_KNOWLEDGE_MIN_SIMILARITY'],
    applies: 'live'
  }),
  'knowledge.embedBatchSize': integer(1, 512, 'chunks', 32, {
    category: 'Knowledge',
    label: 'Embedding batch size',
    description: 'Chunks sent to the embedding model in one request.',
    env: ['KOS_KNOWLEDGE_EMBED_BATCH_SIZE'],
    applies: 'live'
  }),
  'knowledge.maxFileMb': integer(1, 512, 'MiB', 20, {
    category: 'Knowledge',
    label: 'Largest file imported',
    description: 'Larger files are skipped by an import, and named in its report.',
    env: ['KOS_KNOWLEDGE_MAX_FILE_MB'],
    applies: 'live'
  }),
  'rag.budgetTokens': integer(100, 32768, 'tokens', 2000, {
    category: 'Knowledge',
    label: 'Knowledge per question',
    description: 'Most tokens of knowledge put in front of the model for one question.',
    env: ['KOS_RAG_BUDGET_TOKENS', 'RAG_BUDGET_TOKENS'],
    applies: 'live'
  }),
  'rag.snippetChars': integer(50, 20000, 'chars', 500, {
    category: 'Knowledge',
    label: 'Quote length',
    description: 'Characters quoted from each hit after the first.',
    env: ['KOS_RAG_SNIPPET_CHARS', 'RAG_SNIPPET_CHARS'],
    applies: 'live'
  }),
  'rag.top1FullMaxChars': integer(0, 100000, 'chars', 2000, {
    category: 'Knowledge',
    label: 'Quote the best hit in full up to',
    description: 'The best hit is quoted in full when it is at most this long; longer, it is quoted like the others.',
    env: ['KOS_RAG_TOP1_FULL_MAX_CHARS', 'RAG_TOP1_FULL_MAX_CHARS'],
    applies: 'live'
  }),
  'rag.cacheTtlSec': integer(0, 86400, 's', 120, {
    category: 'Knowledge',
    label: 'Reuse context for',
    description: 'How long the context built for a question is reused for the same question; 0 turns the cache off.',
    env: ['KOS_RAG_CACHE_TTL_SEC', 'RAG_CACHE_TTL_SEC'],
    applies: 'live'
  }),
  'responseCache.ttlSec': integer(0, 604800, 's', 3600, {
    category: 'Knowledge',
    label: 'Reuse answers for',
    description: 'How long an answer is given again, without the model, to the same prompt; 0 turns the cache off.',
    env: ['KOS_RESPONSE_CACHE_TTL_SEC'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
