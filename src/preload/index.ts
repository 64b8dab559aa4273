import { contextBridge, ipcRenderer } from 'electron'
import { rpcError } from '../shared/contract/rpc-error'
import {
  IPC_CHANNELS,
  type ConnectionStatus,
  type EventFrame,
  type KosBridge,
  type ResultFrame
} from '../shared/contract/wire'

// The Electron preload: exposes the contract bridge as `window.kos` and
// nothing else. Payloads are validated in main, not here.

let nextId = 0

const bridge: KosBridge = {
  async call(name, input) {
    try {
      const frame = (await ipcRenderer.invoke(IPC_CHANNELS.call, {
        type: 'call',
        id: nextId++,
        name,
        input
      })) as ResultFrame
      return frame.result
    } catch (error) {
      return {
        ok: false,
        error: rpcError('unavailable', `The app's main process did not answer: ${(error as Error).message}`)
      }
    }
  },
  onEvent(listener: (event: EventFrame) => void) {
    const forward = (_event: unknown, frame: EventFrame): void => listener(frame)
    ipcRenderer.on(IPC_CHANNELS.event, forward)
    return () => void ipcRenderer.removeListener(IPC_CHANNELS.event, forward)
  },
  onStatus(listener: (status: ConnectionStatus) => void) {
    listener('connected')
    return () => undefined
  }
}

contextBridge.exposeInMainWorld('kos', bridge)
