import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openDatabase, type Db } from '../src/main/db/database'
import { loadVectorExtension } from '../src/main/knowledge/load-vector-extension'

const repoRoot = resolve(__dirname, '..')

/** A bench database with the app's pragmas and sqlite-vec loaded. */
export function open(file: string): Db {
  const db = openDatabase(file)
  const extension = loadVectorExtension(db)
  if (!extension.ok) throw new Error(extension.reason)
  return db
}

const KNOWLEDGE_MIGRATIONS = [
  '0004_knowledge.sql',
  '0015_russian_stems.sql',
  '0025_knowledge_node_sizes.sql',
  '0026_knowledge_chunks_gone.sql',
  '0027_knowledge_node_summaries.sql'
]

/**
 * The knowledge tables as the app has them: the first schema, Russian stems, node sizes kept in the row, deleted
 * chunks logged, summaries indexed; `before0027`: as they were before the last (the ingest A/B of kb-build.ts).
 */
export function applyKnowledgeSchema(db: Db, options: { reused?: boolean; before0027?: boolean } = {}): void {
  const files = options.before0027 ? KNOWLEDGE_MIGRATIONS.slice(0, -1) : KNOWLEDGE_MIGRATIONS
  // A kept database (--keep) built before a later migration gets that one; each is known by what it creates.
  const addedLater = new Map([
    ['0026_knowledge_chunks_gone.sql', 'knowledge_chunks_gone'],
    ['0027_knowledge_node_summaries.sql', 'knowledge_nodes_summary']
  ])
  const has = db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').pluck()
  for (const file of files) {
    const creates = addedLater.get(file)
    if (options.reused && (creates === undefined || has.get(creates))) continue
    db.exec(readFileSync(join(repoRoot, 'migrations', file), 'utf8'))
  }
}
