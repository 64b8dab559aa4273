import type { BoardMember, BoardPosition } from '../../shared/contract/board-contract'
import type { Logger } from '../log/logger'
import type { ChatCompletionInfo, ChatModel } from '../ports/chat-model'
import { BOARD_CHAIR, BOARD_MEMBERS, chairPrompt, memberPrompt } from './board-members'
import { parseChairReply, parseMemberReply, type ChairReply } from './board-reply-parser'
import { describeError } from '../../shared/describe-error'
import { completeText } from '../ports/complete-text'

export interface Deliberation {
  readonly positions: readonly BoardPosition[]
  readonly chair: ChairReply
}

export type DeliberationResult =
  { readonly ok: true; readonly deliberation: Deliberation } | { readonly ok: false; readonly message: string }

export interface DeliberationRequest {
  readonly question: string
  readonly model: ChatModel
  readonly signal: AbortSignal
  readonly correlationId: string
  readonly log: Logger
  /** Each model call that finished, and each attempt that spent tokens without an answer (`failed`), for token and cost accounting. */
  readonly onModelCall: (info: ChatCompletionInfo, failed: boolean) => void
  readonly members?: readonly BoardMember[]
}

/**
 * One sitting of the board: every member states a position and votes, at the
 * same time (the router queues them as the nodes allow), then the chair
 * decides. A member who fails is left out; the board needs a majority of its
 * members to have spoken, and its chair, to decide anything.
 */
export async function deliberate(request: DeliberationRequest): Promise<DeliberationResult> {
  const members = request.members ?? BOARD_MEMBERS
  const { question, model, signal, correlationId, log } = request
  const answers = await Promise.allSettled(
    members.map(async (member): Promise<BoardPosition> => {
      const { text, info } = await completeText(model, {
        messages: [
          { role: 'system', content: memberPrompt(member) },
          { role: 'user', content: question }
        ],
        category: 'strategy',
        size: 'light',
        signal,
        correlationId,
        onSpentInFailure: (spent) => request.onModelCall(spent, true)
      })
      request.onModelCall(info, false)
      const reply = parseMemberReply(text)
      return {
        memberId: member.id,
        memberName: member.name,
        role: member.role,
        position: reply.position,
        vote: reply.vote,
        model: info.model
      }
    })
  )
  if (signal.aborted) return { ok: false, message: 'the board was interrupted' }
  const positions: BoardPosition[] = []
  answers.forEach((answer, index) => {
    if (answer.status === 'fulfilled') positions.push(answer.value)
    else log.warn('board member did not answer', { member: members[index]?.id, error: describeError(answer.reason) })
  })
  if (positions.length * 2 <= members.length) {
    const reasons = answers.flatMap((a) => (a.status === 'rejected' ? [describeError(a.reason)] : []))
    return {
      ok: false,
      message: `only ${positions.length} of ${members.length} board members answered (${[...new Set(reasons)].join('; ')})`
    }
  }

  const briefing = positions
    .map((p) => `${p.memberName} (${p.role}) votes ${p.vote.toUpperCase()}: ${p.position}`)
    .join('\n\n')
  try {
    const { text, info } = await completeText(model, {
      messages: [
        { role: 'system', content: chairPrompt() },
        { role: 'user', content: `Question: ${question}\n\nPositions of the members:\n\n${briefing}` }
      ],
      category: 'strategy',
      signal,
      correlationId,
      onSpentInFailure: (spent) => request.onModelCall(spent, true)
    })
    request.onModelCall(info, false)
    return { ok: true, deliberation: { positions, chair: parseChairReply(text) } }
  } catch (error) {
    if (signal.aborted) return { ok: false, message: 'the board was interrupted' }
    return { ok: false, message: `the chair (${BOARD_CHAIR.name}) could not decide: ${describeError(error)}` }
  }
}
