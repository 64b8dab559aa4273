import Database from 'better-sqlite3'
import { buildFtsQuery } from '../src/main/knowledge/fts-query'
import { DEFAULT_MORPHOLOGY } from '../src/main/knowledge/hybrid-search'
import { createKnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { searchLexical } from '../src/main/knowledge/lexical-plan'
import { LEXICAL_CACHE_KIB } from '../src/main/knowledge/lexical-searcher'
import { mulberry32, type Corpus } from './kb-corpus'
import { evictFromPageCache, readCalls, type Spread } from './kb-io'
import { spread } from './kb-timing'

const QUERIES = 50

/**
 * The lexical half alone as its worker runs it (its own read-only connection and page cache, FTS5's doc sizes read
 * first), the file put out of the page cache before: milliseconds and pages read a query. Run before and after the
 * full-text index's segments are merged (fts-merge.ts), on the same queries.
 */
export function lexicalFromDisk(
  file: string,
  corpus: Corpus,
  chunks: number
): { ms: Spread; reads: Spread | null; segments: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    db.pragma(`cache_size = ${-LEXICAL_CACHE_KIB}`)
    const store = createKnowledgeStore(db)
    const segments = db.prepare('SELECT count(DISTINCT segid) FROM knowledge_chunks_fts_idx').pluck().get() as number
    evictFromPageCache(file, `${file}-wal`)
    db.prepare('SELECT sum(length(sz)) FROM knowledge_chunks_fts_docsize').pluck().get()
    const reads = readCalls()
    const random = mulberry32(77)
    const ms: number[] = []
    const pages: number[] = []
    for (let q = 0; q < QUERIES; q++) {
      const query = corpus.query(Math.floor(random() * chunks), 3000 + q)
      const from = reads?.() ?? 0
      const started = performance.now()
      searchLexical(store, buildFtsQuery(query.text, DEFAULT_MORPHOLOGY), 50, {})
      ms.push(performance.now() - started)
      if (reads) pages.push(reads() - from)
    }
    return { ms: spread(ms), reads: reads ? spread(pages) : null, segments }
  } finally {
    db.close()
  }
}
