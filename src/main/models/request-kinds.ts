import type { ConfigService } from '../config/config-service'

/**
 * The one timeout per kind of request. The task worker reads the same
 * llm.requestTimeoutSec for how long it waits on process(), and the router
 * spends at most that on all its candidates together, so neither gives up
 * while the other still waits.
 */
export type RequestKind = 'chat' | 'generate' | 'embed' | 'scan' | 'load'

export type TimeoutSettings = Pick<ConfigService, 'get'>

export function timeoutMs(kind: RequestKind, config: TimeoutSettings): number {
  switch (kind) {
    case 'chat':
    case 'generate':
      return config.get('llm.requestTimeoutSec') * 1000
    case 'embed':
      return config.get('models.embedTimeoutSec') * 1000
    case 'scan':
      return config.get('models.scanTimeoutSec') * 1000
    case 'load':
      return config.get('models.loadBufferSec') * 1000
  }
}
