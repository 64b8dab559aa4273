import type { Db } from '../src/main/db/database'
import type { SearchSources } from '../src/main/knowledge/hybrid-search'
import type { KnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { createLexicalSearcher } from '../src/main/knowledge/lexical-searcher'
import { startLexicalSourceWorker } from '../src/main/knowledge/test-support/lexical-source-worker'
import type { VectorIndex } from '../src/main/knowledge/vector-index'
import { benchLog, inProcessSources } from './kb-io'

/**
 * The app's search: the lexical half on its worker, each chunk's node in memory; the same with the lexical half
 * in this thread, and on a worker with SQLite's default page cache (2 MiB): the A/Bs of the worker and its cache.
 */
export async function searchSources(
  db: Db,
  store: KnowledgeStore,
  index: VectorIndex
): Promise<{ here: SearchSources; onWorker: SearchSources; smallCache: SearchSources; close: () => Promise<void> }> {
  const here = inProcessSources(db, store, index)
  const worker = (cacheKib?: number): SearchSources => ({
    ...here,
    lexical: createLexicalSearcher({
      db,
      store,
      log: benchLog,
      startWorker: startLexicalSourceWorker,
      ...(cacheKib === undefined ? {} : { cacheKib })
    })
  })
  const onWorker = worker()
  const smallCache = worker(2000)
  for (const { lexical } of [onWorker, smallCache])
    if (!(await lexical.ready)) throw new Error('the lexical search worker did not start; see the log above')
  return {
    here,
    onWorker,
    smallCache,
    close: async () => {
      await onWorker.lexical.close()
      await smallCache.lexical.close()
    }
  }
}
