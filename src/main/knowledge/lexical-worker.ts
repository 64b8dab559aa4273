import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { createKnowledgeStore } from './knowledge-store'
import { searchLexical } from './lexical-plan'
import type { LexicalRequest, LexicalReply, LexicalWorkerData } from './lexical-searcher'

/**
 * The worker thread's entry: the lexical half of searches (lexical-plan.ts
 * and FTS5) on a read-only connection of its own to the same WAL database,
 * so it waits on the disk while the main thread scans the sign codes.
 */
export function serveLexicalWorker(port: NonNullable<typeof parentPort>, data: LexicalWorkerData): void {
  const db = new Database(data.file, { readonly: true, fileMustExist: true, timeout: 5000, ...data.options })
  // FTS5's structure, doclist and doc-size pages are shared by every query; SQLite's own cache keeps them when the
  // kernel has reclaimed the file's pages (README.md, "Pages read from disk").
  db.pragma(`cache_size = ${-data.cacheKib}`)
  const store = createKnowledgeStore(db)
  // BM25 reads each matching chunk's size from the doc-size table, one random page per match from disk once the
  // kernel has dropped them; read whole into the page cache first (~10 MB at a million chunks, in one pass).
  if (data.warmDocSizes) db.prepare('SELECT sum(length(sz)) FROM knowledge_chunks_fts_docsize').pluck().get()
  port.on('message', (message: LexicalRequest | 'close') => {
    if (message === 'close') {
      db.close()
      port.close()
      return
    }
    let reply: LexicalReply
    try {
      const hits = searchLexical(store, { terms: message.terms }, message.limit, message.filter)
      reply = { id: message.id, ok: true, hits }
    } catch (error) {
      reply = { id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) }
    }
    port.postMessage(reply)
  })
  port.postMessage('ready')
}

if (parentPort) serveLexicalWorker(parentPort, workerData as LexicalWorkerData)
