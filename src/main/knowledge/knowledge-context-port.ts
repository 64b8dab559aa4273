import type { KnowledgeContext } from '../ports/knowledge-context'
import type { KnowledgeService } from './knowledge-service'

/** The knowledge base as the chat pipeline sees it, through ports/knowledge-context.ts. */
export function knowledgeContextPort(service: KnowledgeService): KnowledgeContext {
  return {
    async contextFor(question, signal) {
      signal?.throwIfAborted()
      const context = await service.context({ query: question })
      return { text: context.text, sources: context.sources.map((s) => ({ nodeId: s.nodeId, title: s.title })) }
    },
    cachedAnswer(prompt) {
      const found = service.responses.get(prompt)
      return found.hit ? found.value.text : null
    },
    rememberAnswer(prompt, answer) {
      service.responses.put(prompt, { text: answer, model: null, expert: null })
    }
  }
}
