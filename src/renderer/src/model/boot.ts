import { createClient, type KosClient } from '../../../shared/contract/client'
import type { KosBridge } from '../../../shared/contract/wire'
import { withPlainRefusals } from './access/write-access'
import { appModel, type AppState } from './app-model'
import { createViewModel, type ViewModel } from './view-model'

/** The renderer's models: the one contract client and the app-wide model, live for the page's life. */
export interface Models {
  readonly client: KosClient
  readonly app: ViewModel<AppState>
}

export function startModels(bridge: KosBridge): Models {
  const client = withPlainRefusals(createClient(bridge))
  const app = createViewModel(appModel, client, undefined)
  app.connect()
  return { client, app }
}
