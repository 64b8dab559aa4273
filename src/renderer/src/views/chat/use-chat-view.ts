import { createContext, useContext } from 'react'
import type { ChatState } from '../../model/chat/chat-model'
import { useSelect } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'

export const ChatViewContext = createContext<ViewModel<ChatState> | null>(null)

/** Reads the Chat view's model, which ChatView provides to its parts, through a selector. */
export function useChatView<T>(selector: (state: ChatState) => T): T {
  const model = useContext(ChatViewContext)
  if (!model) throw new Error('useChatView needs the Chat view’s model above it')
  return useSelect(model, selector)
}
