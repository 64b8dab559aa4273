import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { Trail } from '../../../../shared/contract/trail-contract'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface TrailData {
  readonly trail: Trail | null
  readonly error: RpcError | null
  readonly loading: boolean
}

export interface TrailActions {
  refresh(): Promise<void>
}

type Api = ViewModelApi<TrailData & TrailActions, TrailLocal>

async function read(api: Api, correlationId: string): Promise<void> {
  api.set({ loading: true })
  const result = await api.client.call('trail.get', { correlationId })
  api.set(result.ok ? { trail: result.value, error: null, loading: false } : { error: result.error, loading: false })
}

interface TrailLocal {
  correlationId: string
}

/** One request's trail (the chat question, its tasks, model calls and log lines), for the task detail. */
export const trailModel = defineViewModel<TrailData, TrailActions, string, TrailLocal>({
  initialState: () => ({ trail: null, error: null, loading: false }),
  local: () => ({ correlationId: '' }),
  actions: (api, correlationId) => {
    api.local.correlationId = correlationId
    return { refresh: () => read(api, correlationId) }
  },
  // A model call was counted somewhere (the core says so at most once a second): it may be this trail's.
  events: { 'usage.changed': (_payload, api) => void read(api, api.local.correlationId) },
  reload: (api, correlationId) => read(api, correlationId)
})

/** Tokens of a trail's model calls, in and out. */
export function trailTokens(trail: Trail): { tokensIn: number; tokensOut: number } {
  return trail.modelCalls.reduce(
    (sum, c) => ({ tokensIn: sum.tokensIn + c.tokensIn, tokensOut: sum.tokensOut + c.tokensOut }),
    { tokensIn: 0, tokensOut: 0 }
  )
}
