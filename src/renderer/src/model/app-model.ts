import type { AppInfo, Session } from '../../../shared/contract/app-contract'
import type { ConfigSnapshot } from '../../../shared/contract/config-contract'
import type { RpcError } from '../../../shared/contract/rpc-error'
import type { ConnectionStatus } from '../../../shared/contract/wire'
import { defineViewModel, type ViewModelApi } from './view-model'

export interface AppData {
  readonly connection: ConnectionStatus
  readonly info: AppInfo | null
  /** What this window may do (full or read-only), as the core saw its caller; null until the core answered. */
  readonly session: Session | null
  readonly config: ConfigSnapshot | null
  /** The last failure to read from the core; cleared by the next good read. */
  readonly loadError: RpcError | null
  readonly refreshing: boolean
  /** The last view the desktop shell asked for (menu, tray, notification); `seq` tells repeats apart. */
  readonly navigation: { readonly view: string; readonly seq: number } | null
}

export interface AppActions {
  refresh(): Promise<void>
}

export type AppState = AppData & AppActions

const refresh = async ({ client, get, set }: ViewModelApi<AppState>): Promise<void> => {
  set({ refreshing: true })
  const [info, config, session] = await Promise.all([
    client.call('app.info', {}),
    client.call('config.get', {}),
    client.call('app.session', {})
  ])
  set({
    refreshing: false,
    info: info.ok ? info.value : get().info,
    session: session.ok ? session.value : get().session,
    config: config.ok ? config.value : get().config,
    loadError: !info.ok ? info.error : !config.ok ? config.error : null
  })
}

/** App-wide state, fed only by the core: the connection, the app's facts, what this window may do, and the settings. */
export const appModel = defineViewModel<AppData, AppActions>({
  initialState: () => ({
    connection: 'connecting',
    info: null,
    session: null,
    config: null,
    loadError: null,
    refreshing: false,
    navigation: null
  }),
  actions: (api) => ({
    refresh: () => refresh(api)
  }),
  events: {
    // Every stored change, this window's own Saves included: the core sends it before the Save's reply.
    'config.changed': (config, { set }) => set({ config }),
    'app.navigate': ({ view }, { get, set }) => set({ navigation: { view, seq: (get().navigation?.seq ?? 0) + 1 } })
  },
  reload: refresh,
  status: (connection, { set }) => set({ connection })
})
