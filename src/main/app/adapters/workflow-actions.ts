import type { KosClient } from '../../../shared/contract/client'
import { RpcFailure } from '../../../shared/contract/rpc-error'
import type { StepActions } from '../../workflows/step-finisher'

/**
 * A workflow step's actions go through the contract, as a click would: the
 * librarian's entry is `knowledge.addText` (chunked, embedded and searchable
 * like any document; one per run, updated on each round), a strategic draft
 * goes to `board.consult`.
 */
export function workflowActions(client: Pick<KosClient, 'call'>): StepActions {
  return {
    async fileKnowledge({ title, content, source }) {
      const result = await client.call('knowledge.addText', {
        title: title.slice(0, 500),
        content,
        domain: 'workflows',
        source,
        // One entry per run: later rounds replace its text rather than file another.
        replace: true
      })
      if (!result.ok) throw new RpcFailure(result.error)
      return { id: result.value.id, title: result.value.title }
    },
    async consultBoard(question) {
      const result = await client.call('board.consult', { question })
      if (!result.ok) throw new RpcFailure(result.error)
      const d = result.value
      return { id: d.id, decision: d.decision, outcome: d.outcome, rationale: d.rationale, risks: d.risks }
    }
  }
}
