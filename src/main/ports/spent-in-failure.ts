import type { ChatCompletionInfo, ChatModel } from './chat-model'

/**
 * The same model, with every attempt that spent tokens without giving an
 * answer told to `onSpent` (as well as to the request's own listener), so a
 * caller can count what its failed calls cost without handling each call.
 */
export function reportingSpentInFailure(model: ChatModel, onSpent: (info: ChatCompletionInfo) => void): ChatModel {
  return {
    stream: (request) =>
      model.stream({
        ...request,
        onSpentInFailure: (info) => {
          onSpent(info)
          request.onSpentInFailure?.(info)
        }
      })
  }
}
