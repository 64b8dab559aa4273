import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { NextCursorSchema, pageInput } from './paging'
import { BudgetStateSchema } from './usage-contract'

const Iso = z.iso.datetime()
const Id = z.string().min(1).max(100)

export const ExpertSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  domains: z.array(z.string()),
  systemPrompt: z.string(),
  /** The router's category for this expert's answers (coding, analysis, …). */
  modelCategory: z.string(),
  lead: z.boolean(),
  /** True when the user changed it in the app; reset brings back the built-in file. */
  edited: z.boolean()
})
export type Expert = z.infer<typeof ExpertSchema>

const Name = z.string().trim().min(1, 'A name cannot be empty').max(60)
export const ExpertUpdateInputSchema = z.strictObject({
  id: Id,
  name: Name.optional(),
  role: z.string().trim().min(1, 'A role cannot be empty').max(120).optional(),
  domains: z
    .array(z.string().trim().toLowerCase().min(1).max(40))
    .min(1, 'An expert needs at least one domain')
    .max(20)
    .optional(),
  systemPrompt: z
    .string()
    .trim()
    .min(20, 'A system prompt needs at least 20 characters: say who the expert is and how they answer')
    .max(20_000)
    .optional(),
  modelCategory: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'A model category is one lowercase word, e.g. "coding"')
    .optional()
})

export const CHAT_ROUTES = ['cache', 'simple', 'execution', 'complex', 'strategic'] as const
export const ChatRouteSchema = z.enum(CHAT_ROUTES)
export type ChatRoute = z.infer<typeof ChatRouteSchema>

export const MESSAGE_STATUSES = ['streaming', 'complete', 'error', 'stopped'] as const
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES)
export type MessageStatus = z.infer<typeof MessageStatusSchema>

export const PROGRESS_STATUSES = ['analysis', 'executing', 'complete', 'error'] as const
export const ProgressStatusSchema = z.enum(PROGRESS_STATUSES)
export type ProgressStatus = z.infer<typeof ProgressStatusSchema>

export const KnowledgeSourceSchema = z.strictObject({ nodeId: z.string(), title: z.string() })

export const SubtaskSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pending', 'in_progress', 'completed', 'failed', 'deferred_to_human', 'cancelled']),
  expertId: z.string().nullable()
})
export type Subtask = z.infer<typeof SubtaskSchema>

export const ChatMessageSchema = z.strictObject({
  id: z.string(),
  sessionId: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  status: MessageStatusSchema,
  /** Why the answer failed, in words a person can act on. */
  error: z.string().nullable(),
  /** Something the reader should know about how the answer was made (board timed out, no knowledge base, …). */
  notice: z.string().nullable(),
  route: ChatRouteSchema.nullable(),
  expertId: z.string().nullable(),
  expertName: z.string().nullable(),
  model: z.string().nullable(),
  node: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  tokensIn: z.number().int().nullable(),
  tokensOut: z.number().int().nullable(),
  fellBack: z.boolean(),
  correlationId: z.string(),
  boardDecisionId: z.string().nullable(),
  parentTaskId: z.string().nullable(),
  subtasks: z.array(SubtaskSchema),
  sources: z.array(KnowledgeSourceSchema),
  /** For an answer: the user message it answers. */
  replyTo: z.string().nullable(),
  createdAt: Iso
})
export type ChatMessage = z.infer<typeof ChatMessageSchema>

export const ChatSessionSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  messageCount: z.number().int(),
  preview: z.string(),
  createdAt: Iso,
  updatedAt: Iso
})
export type ChatSession = z.infer<typeof ChatSessionSchema>

const Title = z.string().trim().min(1, 'A session title cannot be empty').max(120)

export const ChatSendInputSchema = z.strictObject({
  /** Omitted: a new session titled after the message. */
  sessionId: Id.optional(),
  text: z.string().trim().min(1, 'A message cannot be empty').max(50_000),
  priority: z.enum(['normal', 'high']).default('normal')
})

export const UsageRowSchema = z.strictObject({
  key: z.string(),
  label: z.string(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  cost: z.number(),
  requests: z.number().int(),
  durationMs: z.number().int()
})
export type UsageRow = z.infer<typeof UsageRowSchema>

export const ChatUsageSchema = z.strictObject({
  days: z.number().int(),
  byDay: z.array(UsageRowSchema),
  bySession: z.array(UsageRowSchema),
  byExpert: z.array(UsageRowSchema),
  /** The budget over every model call (usage.tokenBudget), not the chat's alone. */
  budget: BudgetStateSchema,
  counters: z.strictObject({
    expertAnswers: z.number().int(),
    fallbacks: z.number().int(),
    /** Chat answers of the last 24 h, the lead's and the experts'. */
    answers24h: z.number().int(),
    /** Fallbacks over all answers of the last 24 h; null when there were none. */
    fallbackRatio24h: z.number().nullable(),
    threshold: z.number()
  })
})
export type ChatUsage = z.infer<typeof ChatUsageSchema>

export const ChatStatusSchema = z.strictObject({
  modelConnected: z.boolean(),
  tasksConnected: z.boolean(),
  knowledgeConnected: z.boolean(),
  leadName: z.string(),
  active: z.array(z.string())
})
export type ChatStatus = z.infer<typeof ChatStatusSchema>

/** Sessions per page of `chat.sessions.list`, and the most one call returns. */
export const CHAT_SESSION_PAGE_SIZE = 200
export const CHAT_SESSION_PAGE_MAX = 1000

export const CHAT_CALLS = {
  'chat.status': call({
    scope: 'read',
    summary: 'Which backends the chat can use now, the lead agent’s name, and the answers being written.',
    input: EmptyInputSchema,
    output: ChatStatusSchema
  }),
  'chat.experts.list': call({
    scope: 'read',
    summary: 'The lead agent and the experts, with the user’s edits applied.',
    input: EmptyInputSchema,
    output: z.strictObject({ experts: z.array(ExpertSchema) })
  }),
  'chat.experts.update': call({
    scope: 'write',
    summary: 'Change an expert’s name, role, domains, system prompt or model category.',
    input: ExpertUpdateInputSchema,
    output: ExpertSchema
  }),
  'chat.experts.reset': call({
    scope: 'write',
    summary: 'Drop the user’s edits of an expert and use the built-in definition again.',
    input: z.strictObject({ id: Id }),
    output: ExpertSchema
  }),
  'chat.sessions.list': call({
    scope: 'read',
    summary:
      'One page of chat sessions, most recently active first, with a cursor to the next; with a query, only those whose title or messages contain it.',
    input: z.strictObject({
      query: z.string().trim().max(200).optional(),
      ...pageInput(CHAT_SESSION_PAGE_SIZE, CHAT_SESSION_PAGE_MAX)
    }),
    output: z.strictObject({ sessions: z.array(ChatSessionSchema), nextCursor: NextCursorSchema })
  }),
  'chat.sessions.create': call({
    scope: 'write',
    summary: 'Start an empty session.',
    input: z.strictObject({ title: Title.optional() }),
    output: ChatSessionSchema
  }),
  'chat.sessions.get': call({
    scope: 'read',
    summary: 'A session and all its messages in order.',
    input: z.strictObject({ id: Id }),
    output: z.strictObject({ session: ChatSessionSchema, messages: z.array(ChatMessageSchema) })
  }),
  'chat.sessions.rename': call({
    scope: 'write',
    summary: 'Give a session a new title.',
    input: z.strictObject({ id: Id, title: Title }),
    output: ChatSessionSchema
  }),
  'chat.sessions.delete': call({
    scope: 'write',
    summary: 'Delete a session and its messages; usage already counted stays counted.',
    input: z.strictObject({ id: Id }),
    output: z.strictObject({ id: z.string() })
  }),
  'chat.sessions.export': call({
    scope: 'read',
    summary: 'A session as a Markdown document.',
    input: z.strictObject({ id: Id }),
    output: z.strictObject({ fileName: z.string(), markdown: z.string() })
  }),
  'chat.send': call({
    scope: 'write',
    summary: 'Send a message; the answer streams in through chat.* events and always ends with chat.finished.',
    input: ChatSendInputSchema,
    output: z.strictObject({
      session: ChatSessionSchema,
      userMessage: ChatMessageSchema,
      assistantMessage: ChatMessageSchema
    })
  }),
  'chat.stop': call({
    scope: 'write',
    summary: 'Stop an answer being written; the backend request is aborted.',
    input: z.strictObject({ messageId: Id }),
    output: z.strictObject({ stopped: z.boolean() })
  }),
  'chat.retry': call({
    scope: 'write',
    summary: 'Answer a user message again, as a new answer below it.',
    input: z.strictObject({ messageId: Id }),
    output: z.strictObject({ assistantMessage: ChatMessageSchema })
  }),
  'chat.toTask': call({
    scope: 'write',
    summary: 'Queue a message as a task for the task engine.',
    input: z.strictObject({ messageId: Id }),
    output: z.strictObject({ taskId: z.string(), title: z.string() })
  }),
  'chat.usage': call({
    scope: 'read',
    summary: 'Tokens, cost and time per day, session and expert, the daily budget, and the expert/fallback counters.',
    input: z.strictObject({ days: z.number().int().min(1).max(90).default(14) }),
    output: ChatUsageSchema
  })
} as const

export const ChatProgressSchema = z.strictObject({
  sessionId: z.string(),
  messageId: z.string(),
  correlationId: z.string(),
  step: z.number().int(),
  total: z.number().int(),
  status: ProgressStatusSchema,
  label: z.string()
})
export type ChatProgress = z.infer<typeof ChatProgressSchema>

export const CHAT_EVENTS = {
  'chat.started': z.strictObject({ message: ChatMessageSchema }),
  'chat.progress': ChatProgressSchema,
  'chat.token': z.strictObject({ sessionId: z.string(), messageId: z.string(), text: z.string() }),
  'chat.subtasks': z.strictObject({
    sessionId: z.string(),
    messageId: z.string(),
    parentTaskId: z.string(),
    subtasks: z.array(SubtaskSchema)
  }),
  /** The last event of every answer, whatever happened: complete, error or stopped. */
  'chat.finished': z.strictObject({ message: ChatMessageSchema })
} as const
