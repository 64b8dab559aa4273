import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { ChatViewState, ChatViewStore } from './chat-view-store'

export const ChatViewContext = createContext<ChatViewStore | null>(null)

export function useChatView<T>(selector: (state: ChatViewState) => T): T {
  const store = useContext(ChatViewContext)
  if (!store) throw new Error('useChatView needs the Chat view’s store above it')
  return useStore(store, selector)
}
