import type { CallOutput } from '../../../../shared/contract/contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel } from '../view-model'

export interface SecretsData {
  readonly secrets: CallOutput<'secrets.list'> | null
  readonly error: RpcError | null
}

export interface SecretsActions {
  /** Resolves to true once stored; the key itself is never kept here. */
  store(name: string, value: string): Promise<boolean>
  remove(name: string): Promise<void>
}

/** The names of the stored API keys (never their values), and storing or deleting one. */
export const secretsModel = defineViewModel<SecretsData, SecretsActions>({
  initialState: () => ({ secrets: null, error: null }),
  actions: ({ client, set }) => ({
    async store(name, value) {
      const result = await client.call('secrets.set', { name, value })
      set(result.ok ? { secrets: result.value, error: null } : { error: result.error })
      return result.ok
    },
    async remove(name) {
      const result = await client.call('secrets.delete', { name })
      set(result.ok ? { secrets: result.value, error: null } : { error: result.error })
    }
  }),
  async reload({ client, set }) {
    const result = await client.call('secrets.list', {})
    set(result.ok ? { secrets: result.value, error: null } : { error: result.error })
  }
})
