import type { HandlersFor } from '../rpc/handler-types'
import { SecretsUnavailable, type SecretStore } from './secret-store'
import { refuse } from '../rpc/refusal'

export function secretsHandlers(secrets: SecretStore): HandlersFor<'secrets'> {
  const state = () => ({ ...secrets.where(), names: secrets.names() })
  return {
    'secrets.list': () => state(),
    'secrets.set': ({ name, value }, ctx) => {
      try {
        secrets.set(name, value)
      } catch (error) {
        if (error instanceof SecretsUnavailable) return refuse('unavailable', error.message)
        throw error
      }
      ctx.log.info('api key stored', { name })
      return state()
    },
    'secrets.delete': ({ name }, ctx) => {
      if (!secrets.delete(name)) return refuse('not_found', `No API key named "${name}" is stored.`)
      ctx.log.info('api key deleted', { name })
      return state()
    }
  }
}
