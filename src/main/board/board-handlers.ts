import type { HandlersFor } from '../rpc/handler-types'
import { BOARD_CHAIR, BOARD_MEMBERS } from './board-members'
import type { BoardService } from './board-service'
import { refuse } from '../rpc/refusal'

export function boardHandlers(board: BoardService): HandlersFor<'board'> {
  return {
    'board.members': () => ({
      members: [...BOARD_MEMBERS, BOARD_CHAIR],
      timeoutSec: board.timeoutSec(),
      modelConnected: board.available()
    }),
    'board.decisions.list': (filter) => board.store.list(filter),
    'board.decisions.get': ({ id }) => {
      const decision = board.store.get(id)
      if (!decision)
        return refuse(
          'not_found',
          `There is no board decision with id "${id}". It may have been made in another data dir; pick one from the list.`
        )
      return decision
    },
    'board.consult': async ({ question }, ctx) => {
      const result = await board.consult({ question, source: 'manual', correlationId: ctx.correlationId, log: ctx.log })
      if (result.ok) return result.decision
      const advice =
        result.reason === 'unavailable'
          ? 'Connect a model server (Ollama or MLX) in the Models view, then ask again.'
          : result.reason === 'timeout'
            ? 'Ask again, or give the board more time with chat.boardTimeoutSec in Settings.'
            : 'Check the Models view for a failing node, then ask again.'
      // Every way a board fails to decide is its members' models failing or running out of time.
      return refuse('unavailable', `The board could not decide: ${result.message.replace(/\.+$/, '')}. ${advice}`)
    }
  }
}
