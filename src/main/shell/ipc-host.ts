import type { Scope } from '../../shared/contract/define'
import { rpcError } from '../../shared/contract/rpc-error'
import { IPC_CHANNELS, type ResultFrame } from '../../shared/contract/wire'
import type { Dispatcher } from '../rpc/dispatcher'
import type { Logger } from '../log/logger'

/** The part of an ipcMain invoke event the host reads; Electron's own type fits it. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

const DESKTOP_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['read', 'write'])

/**
 * Binds the contract to Electron IPC. Only the app's own top-level frame may
 * call: a frame from anywhere else (an injected iframe, a navigated page) gets
 * `forbidden` and is logged. Everything else goes through the same dispatcher
 * as the headless host.
 */
export function bindIpcHost(options: {
  ipcMain: IpcMainLike
  dispatcher: Dispatcher
  log: Logger
  trustedUrl: (url: string) => boolean
}): () => void {
  const { ipcMain, dispatcher, log } = options
  ipcMain.handle(IPC_CHANNELS.call, async (event, frame): Promise<ResultFrame> => {
    const sender = event.senderFrame
    if (!sender || sender.parent !== null || !options.trustedUrl(sender.url)) {
      log.warn('ipc call from a foreign frame refused', { url: sender?.url ?? null })
      return {
        type: 'result',
        id: null,
        result: { ok: false, error: rpcError('forbidden', 'Calls are accepted only from the app window itself.') }
      }
    }
    return dispatcher.handleFrame(frame, { scopes: DESKTOP_SCOPES, transport: 'ipc' })
  })
  return () => ipcMain.removeHandler(IPC_CHANNELS.call)
}

/** The renderer's own pages: the built files, or the dev server during `npm run dev`. */
export function rendererUrlMatcher(
  rendererIndexUrl: string,
  devServerUrl: string | undefined
): (url: string) => boolean {
  const base = rendererIndexUrl.slice(0, rendererIndexUrl.lastIndexOf('/') + 1)
  return (url) => url.startsWith(base) || (devServerUrl !== undefined && url.startsWith(devServerUrl))
}
