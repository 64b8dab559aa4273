import type { HandlersFor } from '../rpc/handler-types'
import { KnowledgeError } from './knowledge-error'
import type { KnowledgeService } from './knowledge-service'
import { refuse, Refusal } from '../rpc/refusal'

/**
 * The contract calls of the knowledge base; a KnowledgeError from the service is returned as the matching Refusal.
 * `rebuildIndex` backs the database up, then rebuilds the full-text index (full-text-index.ts).
 */
export function knowledgeHandlers(
  service: KnowledgeService,
  rebuildIndex: () => { chunks: number; recreated: boolean; backup: string },
  onSearchWithoutResult?: (query: string, domain: string | null) => void
): HandlersFor<'knowledge'> {
  return {
    'knowledge.stats': () => guard(() => service.stats()),
    'knowledge.list': (input) => guard(() => service.list(input)),
    'knowledge.get': ({ id }) => guard(() => service.get(id)),
    'knowledge.search': async (input) => {
      const started = performance.now()
      const result = await guardAsync(() => service.search(input))
      if (result instanceof Refusal) return result
      if (result.hits.length === 0) onSearchWithoutResult?.(input.query, input.domain ?? null)
      return {
        mode: result.mode,
        lexicalReason: result.lexicalReason,
        hits: result.hits.map((h) => ({
          node: h.node,
          chunkOrdinal: h.chunkOrdinal,
          score: h.score,
          lexical: h.lexical,
          vector: h.vector,
          snippet: h.snippet
        })),
        tookMs: Math.round((performance.now() - started) * 10) / 10
      }
    },
    'knowledge.context': (input) => guardAsync(() => service.context(input)),
    'knowledge.addText': async (input, ctx) => {
      const node = await guardAsync(() => service.addText(input))
      if (node instanceof Refusal) return node
      ctx.log.info('knowledge node added', { node_id: node.id, chunks: node.chunkCount })
      return node
    },
    'knowledge.importFolder': async (input, ctx) => {
      const report = await guardAsync(() => service.importFolder(input))
      if (report instanceof Refusal) return report
      ctx.log.info('knowledge import finished', {
        root: report.root,
        added: report.added,
        updated: report.updated,
        unchanged: report.unchanged,
        skipped: report.skipped.length
      })
      return report
    },
    'knowledge.delete': ({ id }, ctx) =>
      guard(() => {
        service.delete(id)
        ctx.log.info('knowledge node deleted', { node_id: id })
        return { deleted: true as const }
      }),
    'knowledge.reembed': async (_input, ctx) => {
      const status = await guardAsync(() => service.reembed())
      if (status instanceof Refusal) return status
      ctx.log.info('knowledge re-embed started', { status: status.state })
      return status
    },
    'knowledge.rebuildIndex': (_input, ctx) => {
      const rebuilt = rebuildIndex()
      ctx.log.warn('full-text index rebuilt', {
        chunks: rebuilt.chunks,
        recreated: rebuilt.recreated,
        backup: rebuilt.backup
      })
      return rebuilt
    },
    'knowledge.clearResponseCache': () => guard(() => ({ removed: service.responses.clear() }))
  }
}

/** The knowledge service's refusal (a KnowledgeError) as the handler's; anything else is a fault and goes on up. */
function refusalOf(error: unknown): Refusal {
  if (!(error instanceof KnowledgeError)) throw error
  return refuse(error.code === 'dimension_mismatch' ? 'conflict' : error.code, error.message)
}

function guard<T>(run: () => T): T | Refusal {
  try {
    return run()
  } catch (error) {
    return refusalOf(error)
  }
}

async function guardAsync<T>(run: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await run()
  } catch (error) {
    return refusalOf(error)
  }
}
