import { userInfo } from 'node:os'
import type { EventBus } from '../events/event-bus'
import type { Db } from '../db/database'
import type { ChatModel } from '../ports/chat-model'
import type { Capability } from '../rpc/handler-types'
import { boardHandlers } from './board-handlers'
import { createBoardService, type BoardService } from './board-service'
import { createBoardStore } from './board-store'

export interface BoardCapability extends Capability<'board'> {
  /** For the chat pipeline, which puts strategic questions to the board. */
  readonly service: BoardService
}

export function createBoardCapability(deps: {
  readonly db: Db
  readonly model: ChatModel | null
  readonly events: Pick<EventBus, 'emit'>
  readonly timeoutSec: () => number
  /** Who asked, recorded with each decision; the OS account by default. */
  readonly userId?: string
}): BoardCapability {
  const service = createBoardService({
    store: createBoardStore(deps.db),
    model: deps.model,
    events: deps.events,
    timeoutSec: deps.timeoutSec,
    userId: deps.userId ?? systemUser()
  })
  return { handlers: boardHandlers(service), service }
}

function systemUser(): string {
  try {
    return userInfo().username || 'local'
  } catch {
    return 'local'
  }
}
