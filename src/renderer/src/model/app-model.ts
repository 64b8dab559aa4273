import type { AppInfo, Session } from '../../../shared/contract/app-contract'
import type { ConfigSnapshot } from '../../../shared/contract/config-contract'
import type { ModelsOverview } from '../../../shared/contract/models-contract'
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
  /** Each model node's name as its owner gave it ("Ollama on this Mac"), by the id tasks and answers record. */
  readonly nodeLabels: Readonly<Record<string, string>>
}

export interface AppActions {
  refresh(): Promise<void>
}

export type AppState = AppData & AppActions

const refresh = async ({ client, get, set }: ViewModelApi<AppState>): Promise<void> => {
  set({ refreshing: true })
  const [info, config, session, models] = await Promise.all([
    client.call('app.info', {}),
    client.call('config.get', {}),
    client.call('app.session', {}),
    client.call('models.list', {})
  ])
  set({
    refreshing: false,
    ...(models.ok ? { nodeLabels: labelsOf(models.value) } : {}),
    info: info.ok ? info.value : get().info,
    session: session.ok ? session.value : get().session,
    config: config.ok ? config.value : get().config,
    loadError: !info.ok ? info.error : !config.ok ? config.error : null
  })
}

const labelsOf = (overview: ModelsOverview): Record<string, string> =>
  Object.fromEntries(overview.nodes.map((n) => [n.id, n.label]))

/** A node as people know it: its label, or what was recorded when no node of that id is known (removed, or a word like "this Mac"). */
export const nodeName = (labels: Readonly<Record<string, string>>, node: string): string => labels[node] ?? node

/** App-wide state, fed only by the core: the connection, the app's facts, what this window may do, the settings and the nodes' names. */
export const appModel = defineViewModel<AppData, AppActions>({
  initialState: () => ({
    connection: 'connecting',
    info: null,
    session: null,
    config: null,
    loadError: null,
    refreshing: false,
    navigation: null,
    nodeLabels: {}
  }),
  actions: (api) => ({
    refresh: () => refresh(api)
  }),
  events: {
    // Every stored change, this window's own Saves included: the core sends it before the Save's reply.
    'config.changed': (config, { set }) => set({ config }),
    'models.changed': (overview, { set }) => set({ nodeLabels: labelsOf(overview) }),
    'app.navigate': ({ view }, { get, set }) => set({ navigation: { view, seq: (get().navigation?.seq ?? 0) + 1 } })
  },
  reload: refresh,
  status: (connection, { set }) => set({ connection })
})
