import type { SettingDefinition } from '../setting-builders'

/** The knowledge base: chunking, search and RAG context. */
export const KNOWLEDGE_SETTINGS = {} satisfies Record<string, SettingDefinition>
