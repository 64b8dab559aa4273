import type { CallResult } from './rpc-error'

/**
 * Frames as they travel over a transport (WebSocket text frames, IPC
 * messages). Main checks a call frame's shape (main/rpc/call-frame.ts), then
 * the payload against the call's own schema.
 */
export interface CallFrame {
  readonly type: 'call'
  readonly id: string | number
  readonly name: string
  readonly input: unknown
}

export interface ResultFrame {
  readonly type: 'result'
  /** null when the request was too malformed to carry an id. */
  readonly id: string | number | null
  readonly result: CallResult<unknown>
}

export interface EventFrame {
  readonly type: 'event'
  readonly name: string
  readonly payload: unknown
}

export type ServerFrame = ResultFrame | EventFrame

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'unauthorized'

/**
 * What the renderer finds at `window.kos`, whichever host it runs on: the
 * Electron preload exposes it over IPC, the headless host's web bridge over a
 * WebSocket. It never rejects: transport failures come back as `unavailable`.
 */
export interface KosBridge {
  call(name: string, input: unknown): Promise<CallResult<unknown>>
  onEvent(listener: (event: EventFrame) => void): () => void
  onStatus(listener: (status: ConnectionStatus) => void): () => void
}

/** IPC channel names used by the Electron host and its preload. */
export const IPC_CHANNELS = { call: 'kos:call', event: 'kos:event' } as const
