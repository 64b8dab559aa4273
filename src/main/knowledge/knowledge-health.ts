import type { HealthContributor, HealthReport } from '../ports/health-contributor'
import type { KnowledgeService } from './knowledge-service'

/**
 * The knowledge base's part of the app's health: down never (full text
 * always works), degraded when search by meaning is off or behind.
 */
export function knowledgeHealth(service: Pick<KnowledgeService, 'stats'>): HealthContributor {
  return {
    component: 'knowledge',
    report(): HealthReport {
      const { embedding, chunks, embeddedChunks } = service.stats()
      switch (embedding.state) {
        case 'idle':
        case 'embedding':
          return { component: 'knowledge', level: 'ok', reasons: [] }
        case 'off':
        case 'waiting':
          return {
            component: 'knowledge',
            level: 'degraded',
            reasons: [`Search by meaning is off: ${embedding.reason}`]
          }
        case 'model_changed':
          return {
            component: 'knowledge',
            level: 'degraded',
            reasons: [
              `The embedding model changed from ${embedding.active.id} to ${embedding.current.id}; re-embed the knowledge base (Knowledge → Re-embed) to search by meaning again.`
            ]
          }
        case 'failed':
          return {
            component: 'knowledge',
            level: 'degraded',
            reasons: [`${embedding.reason} (${embeddedChunks} of ${chunks} chunks embedded)`]
          }
      }
    }
  }
}
