import { createHash } from 'node:crypto'
import type { Db } from '../db/database'
import { afterCursor, cursorAfter, type PageRequest } from '../db/keyset'
import type { Chunk } from './chunker'
import { KnowledgeError } from './knowledge-error'
import { createNodeIds } from './node-id'
import { russianStems } from './russian-stem'

export interface NodeInput {
  readonly title: string
  readonly content: string
  readonly domain: string | null
  readonly source: string | null
  readonly confidenceScore?: number
}

export interface NodeSummary {
  readonly id: string
  readonly title: string
  readonly domain: string | null
  readonly source: string | null
  readonly confidenceScore: number
  readonly usageCount: number
  readonly chunkCount: number
  readonly chars: number
  readonly createdAt: string
  readonly updatedAt: string
}

export interface StoredNode extends NodeSummary {
  readonly content: string
}

export interface ChunkRow {
  readonly id: number
  readonly nodeId: string
  readonly ordinal: number
  readonly text: string
}

export interface NodeFilter {
  readonly domain?: string | undefined
  readonly source?: string | undefined
}

export type UpsertOutcome = 'added' | 'updated' | 'unchanged'

export interface LexicalHit {
  readonly chunkId: number
  /** Null for an unfiltered search, which reads no chunk row: the caller knows each chunk's node (chunk-nodes.ts). */
  readonly nodeId: string | null
  /** FTS5 bm25() negated, so larger is better. */
  readonly bm25: number
}

interface NodeRow {
  id: string
  title: string
  content: string
  domain: string | null
  source: string | null
  confidence_score: number
  usage_count: number
  chunk_count: number
  chars: number
  created_at: string
  updated_at: string
}

export interface KnowledgeStore {
  /** Adds a node with its chunks in one transaction. */
  insert(input: NodeInput, chunks: readonly Pick<Chunk, 'text' | 'tokens'>[]): NodeSummary
  /** Adds, replaces (same source, other content) or leaves alone (same source and content) a node. */
  upsertBySource(
    input: NodeInput & { source: string },
    chunks: readonly Pick<Chunk, 'text' | 'tokens'>[]
  ): { node: NodeSummary; outcome: UpsertOutcome }
  get(id: string): StoredNode | null
  summaries(ids: readonly string[]): Map<string, NodeSummary>
  /** One page, most recently changed first; the total on the first page only. */
  list(filter: NodeFilter & PageRequest): { nodes: NodeSummary[]; total: number | null; nextCursor: string | null }
  delete(id: string): boolean
  chunks(ids: readonly number[]): ChunkRow[]
  /** The node of each chunk whose node passes the filter; reads no chunk text and, unfiltered, no node row. */
  chunkNodes(ids: readonly number[], filter: NodeFilter): Map<number, string>
  /**
   * Chunks for a MATCH expression, best BM25 first; or, `newest`, the most
   * recently added first with a BM25 of 0: FTS5's BM25 counts every chunk
   * holding each word, which for a word nearly every chunk holds costs
   * seconds at a million (lexical-plan.ts).
   */
  lexical(match: string, limit: number, filter: NodeFilter, order?: 'bm25' | 'newest'): LexicalHit[]
  /** How many chunks a MATCH expression finds, counted no further than `cap`: a bounded cost however common its words. */
  matchCount(match: string, cap: number): number
  countUsage(nodeIds: readonly string[]): void
  counts(): { nodes: number; chunks: number }
  domains(): string[]
}

/** Size and chunk count are the row's own (migrations/0025_knowledge_node_sizes.sql): computing them read the whole document and the chunks' index. */
const SUMMARY_COLUMNS = `n.id, n.title, n.domain, n.source, n.confidence_score, n.usage_count, n.chars, n.created_at, n.updated_at, n.chunk_count`

/** Nodes and their chunks; the FTS index follows the chunks by triggers (see migrations/0004_knowledge.sql). */
export function createKnowledgeStore(
  db: Db,
  clock: { now: () => Date } = { now: () => new Date() },
  /** New nodes' ids; the benchmark compares them with random ones. */
  nextId: () => string = createNodeIds(() => clock.now().getTime())
): KnowledgeStore {
  const insertNode =
    db.prepare(`INSERT INTO knowledge_nodes (id, title, content, domain, source, content_hash, confidence_score, created_at, updated_at, chars, chunk_count)
    VALUES (@id, @title, @content, @domain, @source, @hash, @confidence, @now, @now, length(@content), @chunks)`)
  const insertChunk = db.prepare(
    'INSERT INTO knowledge_chunks (node_id, ordinal, text, token_count, stems) VALUES (?, ?, ?, ?, ?)'
  )
  const deleteChunks = db.prepare('DELETE FROM knowledge_chunks WHERE node_id = ?')
  const updateNode = db.prepare(
    'UPDATE knowledge_nodes SET title = @title, content = @content, domain = @domain, content_hash = @hash, updated_at = @now, chars = length(@content), chunk_count = @chunks WHERE id = @id'
  )
  const bySource = db.prepare(
    'SELECT id, content_hash FROM knowledge_nodes WHERE source = ? ORDER BY created_at LIMIT 1'
  )
  const summaryOf = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM knowledge_nodes n WHERE n.id = ?`)
  const fullOf = db.prepare(`SELECT ${SUMMARY_COLUMNS}, n.content FROM knowledge_nodes n WHERE n.id = ?`)
  const deleteNode = db.prepare('DELETE FROM knowledge_nodes WHERE id = ?')
  const matchCount = db
    .prepare('SELECT count(*) FROM (SELECT 1 FROM knowledge_chunks_fts WHERE knowledge_chunks_fts MATCH ? LIMIT ?)')
    .pluck()

  const summary = (id: string): NodeSummary => toSummary(summaryOf.get(id) as NodeRow)
  const writeChunks = (nodeId: string, chunks: readonly Pick<Chunk, 'text' | 'tokens'>[]): void => {
    chunks.forEach((chunk, ordinal) =>
      insertChunk.run(nodeId, ordinal, chunk.text, chunk.tokens, russianStems(chunk.text))
    )
  }

  const insert = db.transaction((input: NodeInput, chunks: readonly Pick<Chunk, 'text' | 'tokens'>[]): NodeSummary => {
    const id = nextId()
    insertNode.run({ ...row(input), id, now: clock.now().toISOString(), chunks: chunks.length })
    writeChunks(id, chunks)
    return summary(id)
  })

  const upsert = db.transaction(
    (input: NodeInput & { source: string }, chunks: readonly Pick<Chunk, 'text' | 'tokens'>[]) => {
      const existing = bySource.get(input.source) as { id: string; content_hash: string } | undefined
      if (!existing) return { node: insert(input, chunks), outcome: 'added' as const }
      const values = row(input)
      if (existing.content_hash === values.hash) return { node: summary(existing.id), outcome: 'unchanged' as const }
      deleteChunks.run(existing.id)
      updateNode.run({ ...values, id: existing.id, now: clock.now().toISOString(), chunks: chunks.length })
      writeChunks(existing.id, chunks)
      return { node: summary(existing.id), outcome: 'updated' as const }
    }
  )

  return {
    insert: (input, chunks) => insert(input, chunks),
    upsertBySource: (input, chunks) => upsert(input, chunks),
    get(id) {
      const found = fullOf.get(id) as NodeRow | undefined
      return found ? { ...toSummary(found), content: found.content } : null
    },
    // The summary index holds every column read (migration 0027): one page per node, never the row and its document.
    // Named, because the planner would take the id's unique index, which finds the same rows through the table.
    summaries(ids) {
      const unique = [...new Set(ids)]
      if (unique.length === 0) return new Map()
      const rows = db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM knowledge_nodes n INDEXED BY knowledge_nodes_summary WHERE n.id IN (${unique.map(() => '?').join(',')})`
        )
        .all(...unique) as NodeRow[]
      return new Map(rows.map((r) => [r.id, toSummary(r)]))
    },
    list({ limit, cursor, domain, source }) {
      const where = filterSql('n', { domain, source })
      const after = cursor === undefined ? null : afterCursor('knowledge_nodes', 'n', 'updated_at', cursor)
      const conditions = [where.sql.replace(/^WHERE /, ''), after?.sql ?? ''].filter(Boolean)
      const rows = db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM knowledge_nodes n ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY n.updated_at DESC, n.rowid DESC LIMIT ?`
        )
        .all(...where.params, ...(after?.params ?? []), limit + 1) as NodeRow[]
      const more = rows.length > limit
      if (more) rows.pop()
      const last = rows.at(-1)
      const total =
        cursor === undefined
          ? (
              db.prepare(`SELECT count(*) AS total FROM knowledge_nodes n ${where.sql}`).get(...where.params) as {
                total: number
              }
            ).total
          : null
      return {
        nodes: rows.map(toSummary),
        total,
        nextCursor: cursorAfter(last && { id: last.id, at: last.updated_at }, more)
      }
    },
    delete: (id) => deleteNode.run(id).changes > 0,
    chunks(ids) {
      if (ids.length === 0) return []
      const rows = db
        .prepare(
          `SELECT id, node_id, ordinal, text FROM knowledge_chunks WHERE id IN (${ids.map(() => '?').join(',')})`
        )
        .all(...ids) as { id: number; node_id: string; ordinal: number; text: string }[]
      return rows.map((r) => ({ id: r.id, nodeId: r.node_id, ordinal: r.ordinal, text: r.text }))
    },
    chunkNodes(ids, filter) {
      if (ids.length === 0) return new Map()
      const where = filterSql('n', filter)
      const join = where.params.length ? 'JOIN knowledge_nodes n ON n.id = c.node_id' : ''
      const rows = db
        .prepare(
          `SELECT c.id, c.node_id FROM knowledge_chunks c ${join} WHERE c.id IN (${ids.map(() => '?').join(',')}) ${where.sql.replace('WHERE', 'AND')}`
        )
        .raw()
        .all(...ids, ...where.params) as [number, string][]
      return new Map(rows)
    },
    lexical(match, limit, filter, order = 'bm25') {
      const where = filterSql('n', filter)
      const ranked = order === 'bm25'
      if (where.params.length === 0) {
        // Unfiltered, no chunk row is read: a chunk row is a random page read (a disk read when the database is
        // not in the page cache), and the caller knows each chunk's node from memory (chunk-nodes.ts).
        const rows = db
          .prepare(
            `SELECT rowid, ${ranked ? 'bm25(knowledge_chunks_fts)' : 'NULL'} AS score FROM knowledge_chunks_fts
            WHERE knowledge_chunks_fts MATCH ? ORDER BY ${ranked ? 'score' : 'rowid DESC'} LIMIT ?`
          )
          .raw()
          .all(match, limit) as [number, number | null][]
        return rows.map(([chunkId, score]) => ({ chunkId, nodeId: null, bm25: ranked ? -score! : 0 }))
      }
      const rows = db
        .prepare(
          `SELECT c.id AS chunk_id, c.node_id, ${ranked ? 'bm25(knowledge_chunks_fts)' : 'NULL'} AS score FROM knowledge_chunks_fts
          JOIN knowledge_chunks c ON c.id = knowledge_chunks_fts.rowid JOIN knowledge_nodes n ON n.id = c.node_id
          WHERE knowledge_chunks_fts MATCH ? ${where.sql.replace('WHERE', 'AND')} ORDER BY ${ranked ? 'score' : 'knowledge_chunks_fts.rowid DESC'} LIMIT ?`
        )
        .all(match, ...where.params, limit) as { chunk_id: number; node_id: string; score: number }[]
      return rows.map((r) => ({ chunkId: r.chunk_id, nodeId: r.node_id, bm25: ranked ? -r.score : 0 }))
    },
    matchCount: (match, cap) => matchCount.get(match, Math.max(0, Math.floor(cap))) as number,
    countUsage(nodeIds) {
      const bump = db.prepare('UPDATE knowledge_nodes SET usage_count = usage_count + 1 WHERE id = ?')
      db.transaction(() => nodeIds.forEach((id) => bump.run(id)))()
    },
    counts() {
      return db
        .prepare(
          'SELECT (SELECT count(*) FROM knowledge_nodes) AS nodes, (SELECT count(*) FROM knowledge_chunks) AS chunks'
        )
        .get() as { nodes: number; chunks: number }
    },
    domains() {
      return (
        db.prepare('SELECT DISTINCT domain FROM knowledge_nodes WHERE domain IS NOT NULL ORDER BY domain').all() as {
          domain: string
        }[]
      ).map((r) => r.domain)
    }
  }
}

function row(input: NodeInput): {
  title: string
  content: string
  domain: string | null
  source: string | null
  hash: string
  confidence: number
} {
  const confidence = input.confidenceScore ?? 0.5
  if (!(confidence >= 0 && confidence <= 1))
    throw new KnowledgeError(
      'invalid_input',
      `confidenceScore = ${confidence} is not valid: give a number from 0 to 1.`
    )
  return {
    title: input.title,
    content: input.content,
    domain: input.domain,
    source: input.source,
    hash: createHash('sha256').update(input.content).digest('hex'),
    confidence
  }
}

function filterSql(alias: string, filter: NodeFilter): { sql: string; params: string[] } {
  const clauses: string[] = []
  const params: string[] = []
  if (filter.domain !== undefined) {
    clauses.push(`${alias}.domain = ?`)
    params.push(filter.domain)
  }
  if (filter.source !== undefined) {
    clauses.push(`${alias}.source LIKE ? ESCAPE '\\'`)
    params.push(`${filter.source.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
}

function toSummary(r: NodeRow): NodeSummary {
  return {
    id: r.id,
    title: r.title,
    domain: r.domain,
    source: r.source,
    confidenceScore: r.confidence_score,
    usageCount: r.usage_count,
    chunkCount: r.chunk_count,
    chars: r.chars,
    createdAt: r.created_at,
    updatedAt: r.updated_at
  }
}
