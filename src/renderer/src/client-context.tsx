import { createContext, useContext, type ReactNode } from 'react'
import type { KosClient } from '../../shared/contract/client'

const ClientContext = createContext<KosClient | null>(null)

/** Hands the one contract client to views that build their own stores. */
export function ClientProvider({ client, children }: { client: KosClient; children: ReactNode }): ReactNode {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
}

export function useClient(): KosClient {
  const client = useContext(ClientContext)
  if (!client) throw new Error('useClient needs a ClientProvider above it')
  return client
}
