import { callMaxBytes, tooLarge, utf8Bytes } from '../shared/contract/limits'
import { rpcError, type CallResult } from '../shared/contract/rpc-error'
import type { ConnectionStatus, EventFrame, KosBridge, ServerFrame } from '../shared/contract/wire'

// The headless host's counterpart of the Electron preload: the host injects
// this script ahead of the app, and it provides the same `window.kos` over a
// WebSocket to /rpc, reconnecting with backoff when the link drops.

const RETRY_MS = [250, 500, 1000, 2000, 5000] as const

interface Pending {
  readonly resolve: (result: CallResult<unknown>) => void
  readonly frame: string
  sent: boolean
}

const LOST = rpcError(
  'unavailable',
  'The connection to the host dropped before the answer came; the call may or may not have run. Check, then try again.'
)
const ENDED = rpcError('unauthorized', 'This browser session has ended. Open the URL printed by the host again.')

function createWebBridge(): KosBridge {
  const eventListeners = new Set<(event: EventFrame) => void>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  const pending = new Map<number, Pending>()
  let status: ConnectionStatus = 'connecting'
  let socket: WebSocket | null = null
  let nextId = 1
  let attempt = 0

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return
    status = next
    for (const listener of statusListeners) listener(next)
  }

  const connect = (): void => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    const ws = new WebSocket(`${scheme}://${location.host}/rpc`)
    socket = ws
    ws.onopen = () => {
      attempt = 0
      setStatus('connected')
      for (const call of pending.values()) {
        ws.send(call.frame)
        call.sent = true
      }
    }
    ws.onmessage = (message) => {
      let frame: ServerFrame
      try {
        frame = JSON.parse(String(message.data)) as ServerFrame
      } catch {
        return
      }
      if (frame.type === 'event') {
        for (const listener of eventListeners) listener(frame)
      } else if (typeof frame.id === 'number') {
        pending.get(frame.id)?.resolve(frame.result)
        pending.delete(frame.id)
      }
    }
    ws.onclose = () => {
      socket = null
      // Calls already sent are not sent again: the host may have run them.
      for (const [id, call] of pending) {
        if (!call.sent) continue
        call.resolve({ ok: false, error: LOST })
        pending.delete(id)
      }
      void afterClose()
    }
  }

  /** A refused upgrade looks like any close to a page; ask the host whether the session is still good. */
  const afterClose = async (): Promise<void> => {
    let signedIn = true
    try {
      signedIn = (await fetch('/api/session', { credentials: 'same-origin' })).status !== 401
    } catch {
      signedIn = true
    }
    if (!signedIn) {
      setStatus('unauthorized')
      for (const call of pending.values()) call.resolve({ ok: false, error: ENDED })
      pending.clear()
      return
    }
    setStatus('disconnected')
    const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]
    setTimeout(connect, delay)
  }

  connect()

  return {
    call(name, input) {
      if (status === 'unauthorized') {
        return Promise.resolve({ ok: false, error: ENDED })
      }
      const id = nextId++
      let frame: string
      try {
        frame = JSON.stringify({ type: 'call', id, name, input })
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        return Promise.resolve({
          ok: false,
          error: rpcError(
            'invalid_input',
            `Call "${name}" was not sent: its input cannot be written as JSON (${reason}).`,
            { call: name }
          )
        })
      }
      // Refused here, before it is sent, in the same words the host would use: a frame over the
      // transport's limit would otherwise cost the whole connection.
      const bytes = utf8Bytes(frame)
      if (bytes > callMaxBytes(name)) return Promise.resolve({ ok: false, error: tooLarge(name, bytes) })
      return new Promise((resolve) => {
        const open = socket?.readyState === WebSocket.OPEN
        pending.set(id, { resolve, frame, sent: open })
        if (open) socket?.send(frame)
      })
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => void eventListeners.delete(listener)
    },
    onStatus(listener) {
      statusListeners.add(listener)
      listener(status)
      return () => void statusListeners.delete(listener)
    }
  }
}

Object.defineProperty(window, 'kos', { value: createWebBridge(), writable: false, configurable: false })
