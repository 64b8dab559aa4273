import { createStore, type StoreApi } from 'zustand/vanilla'
import type { KosClient } from '../../../shared/contract/client'
import type { AppInfo } from '../../../shared/contract/app-contract'
import type { ConfigSnapshot, SettingValue } from '../../../shared/contract/config-contract'
import type { RpcError } from '../../../shared/contract/rpc-error'
import type { ConnectionStatus } from '../../../shared/contract/wire'

export interface AppState {
  readonly connection: ConnectionStatus
  readonly info: AppInfo | null
  readonly config: ConfigSnapshot | null
  /** The last failure to read from the core; cleared by the next good read. */
  readonly loadError: RpcError | null
  readonly refreshing: boolean
  refresh(): Promise<void>
  /** Resolves to the refusal, if any, so the form that asked can show it beside the field. */
  setSetting(key: string, value: SettingValue): Promise<RpcError | null>
  resetSetting(key: string): Promise<RpcError | null>
}

export type AppStore = StoreApi<AppState>

/**
 * App-wide state, fed only by the core: calls for reads, pushed events for
 * changes, and a full re-read after every reconnect so nothing stays stale.
 */
export function createAppStore(client: KosClient): AppStore {
  const store = createStore<AppState>()((set) => ({
    connection: 'connecting',
    info: null,
    config: null,
    loadError: null,
    refreshing: false,
    async refresh() {
      set({ refreshing: true })
      const [info, config] = await Promise.all([client.call('app.info', {}), client.call('config.get', {})])
      set({
        refreshing: false,
        info: info.ok ? info.value : store.getState().info,
        config: config.ok ? config.value : store.getState().config,
        loadError: !info.ok ? info.error : !config.ok ? config.error : null
      })
    },
    async setSetting(key, value) {
      const result = await client.call('config.set', { key, value })
      if (!result.ok) return result.error
      set({ config: result.value })
      return null
    },
    async resetSetting(key) {
      const result = await client.call('config.reset', { key })
      if (!result.ok) return result.error
      set({ config: result.value })
      return null
    }
  }))

  client.on('config.changed', (config) => store.setState({ config }))
  client.onStatus((connection) => {
    store.setState({ connection })
    if (connection === 'connected') void store.getState().refresh()
  })
  return store
}
