import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { NextCursorSchema, pageInput } from './paging'

const Iso = z.iso.datetime()

export const BOARD_SOURCES = ['chat', 'task', 'manual'] as const
export const BoardSourceSchema = z.enum(BOARD_SOURCES)
export type BoardSource = z.infer<typeof BoardSourceSchema>

export const BOARD_VOTES = ['for', 'against', 'abstain'] as const
export const BoardVoteSchema = z.enum(BOARD_VOTES)
export type BoardVote = z.infer<typeof BoardVoteSchema>

/** `approved`: more for than against; `rejected`: more against; `split`: a tie. */
export const BOARD_OUTCOMES = ['approved', 'rejected', 'split'] as const
export const BoardOutcomeSchema = z.enum(BOARD_OUTCOMES)
export type BoardOutcome = z.infer<typeof BoardOutcomeSchema>

export const BoardMemberSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  focus: z.string(),
  chair: z.boolean()
})
export type BoardMember = z.infer<typeof BoardMemberSchema>

export const BoardPositionSchema = z.strictObject({
  memberId: z.string(),
  memberName: z.string(),
  role: z.string(),
  position: z.string(),
  vote: BoardVoteSchema,
  model: z.string().nullable()
})
export type BoardPosition = z.infer<typeof BoardPositionSchema>

export const BoardTallySchema = z.strictObject({
  for: z.number().int(),
  against: z.number().int(),
  abstain: z.number().int()
})
export type BoardTally = z.infer<typeof BoardTallySchema>

export const BoardDecisionSummarySchema = z.strictObject({
  id: z.string(),
  question: z.string(),
  decision: z.string(),
  outcome: BoardOutcomeSchema,
  tally: BoardTallySchema,
  source: BoardSourceSchema,
  sessionId: z.string().nullable(),
  messageId: z.string().nullable(),
  taskId: z.string().nullable(),
  createdAt: Iso
})
export type BoardDecisionSummary = z.infer<typeof BoardDecisionSummarySchema>

export const BoardDecisionSchema = BoardDecisionSummarySchema.extend({
  rationale: z.string(),
  risks: z.array(z.string()),
  positions: z.array(BoardPositionSchema),
  chairName: z.string(),
  userId: z.string(),
  correlationId: z.string()
})
export type BoardDecision = z.infer<typeof BoardDecisionSchema>

/** Decisions per page of `board.decisions.list`, and the most one call returns. */
export const BOARD_PAGE_SIZE = 200
export const BOARD_PAGE_MAX = 1000

export const BoardListInputSchema = z.strictObject({
  source: BoardSourceSchema.optional(),
  outcome: BoardOutcomeSchema.optional(),
  query: z.string().trim().max(200).optional(),
  ...pageInput(BOARD_PAGE_SIZE, BOARD_PAGE_MAX)
})

export const BOARD_CALLS = {
  'board.members': call({
    scope: 'read',
    summary: 'The board of directors: each member’s role and focus, and who chairs.',
    input: EmptyInputSchema,
    output: z.strictObject({
      members: z.array(BoardMemberSchema),
      timeoutSec: z.number().int(),
      modelConnected: z.boolean()
    })
  }),
  'board.decisions.list': call({
    scope: 'read',
    summary:
      'One page of board decisions, newest first, with a cursor to the next; filtered by source, outcome and words in the question or decision.',
    input: BoardListInputSchema,
    output: z.strictObject({ decisions: z.array(BoardDecisionSummarySchema), nextCursor: NextCursorSchema })
  }),
  'board.decisions.get': call({
    scope: 'read',
    summary: 'One decision with each member’s position and vote, the rationale and the risks.',
    input: z.strictObject({ id: z.string().min(1) }),
    output: BoardDecisionSchema
  }),
  'board.consult': call({
    scope: 'write',
    summary: 'Put a question to the board directly; resolves when the chair has decided or the board timed out.',
    input: z.strictObject({
      question: z.string().trim().min(10, 'A question for the board needs at least 10 characters').max(4000)
    }),
    output: BoardDecisionSchema
  })
} as const

export const BOARD_EVENTS = {
  'board.decided': BoardDecisionSummarySchema
} as const
