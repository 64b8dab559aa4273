/// <reference types="vite/client" />
import type { KosBridge } from '../../shared/contract/wire'

declare global {
  interface Window {
    /** Provided by the Electron preload or the headless host's web bridge, never by the app itself. */
    readonly kos: KosBridge
  }
}
