import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { NextCursorSchema, pageInput } from './paging'

export const TASK_STATUSES = [
  'pending',
  'in_progress',
  'completed',
  'failed',
  'deferred_to_human',
  'cancelled'
] as const
export const TaskStatusSchema = z.enum(TASK_STATUSES)
export type TaskStatus = z.infer<typeof TaskStatusSchema>

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const TaskPrioritySchema = z.enum(TASK_PRIORITIES)
export type TaskPriority = z.infer<typeof TaskPrioritySchema>

/**
 * Why an attempt failed, as the evidence shows it: `oom_or_metal` only with out-of-memory evidence,
 * `runner_terminated` for a model runner that died ("llama runner process has terminated"),
 * `stream_interrupted` for an answer cut mid-stream, `echo` for an answer that repeated the prompt,
 * `server_error` for any other 5xx, `interrupted` for a run the app's own process died under.
 */
export const TASK_ERROR_TYPES = [
  'timeout',
  'empty_or_short_response',
  'validation_failed',
  'connection_error',
  'oom_or_metal',
  'runner_terminated',
  'stream_interrupted',
  'echo',
  'server_error',
  'interrupted',
  'other'
] as const
export const TaskErrorTypeSchema = z.enum(TASK_ERROR_TYPES)
export type TaskErrorType = z.infer<typeof TaskErrorTypeSchema>

/** `interrupted`: a run cut off by a dead process; `waiting`: put back without an attempt because its backend failed, not the task. */
export const TASK_EVENT_KINDS = [
  'created',
  'claimed',
  'progress',
  'completed',
  'failed',
  'deferred',
  'requeued',
  'cancelled',
  'interrupted',
  'waiting'
] as const
export const TaskEventKindSchema = z.enum(TASK_EVENT_KINDS)
export type TaskEventKind = z.infer<typeof TaskEventKindSchema>

const Iso = z.iso.datetime()

/** The fields a list row needs; the detail adds description, result and history. */
export const TaskSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  domain: z.string().nullable(),
  priority: TaskPrioritySchema,
  assigneeExpert: z.string().nullable(),
  status: TaskStatusSchema,
  attemptCount: z.number().int(),
  lastError: z.string().nullable(),
  errorType: TaskErrorTypeSchema.nullable(),
  backend: z.string().nullable(),
  model: z.string().nullable(),
  nextRetryAfter: Iso.nullable(),
  createdAt: Iso,
  updatedAt: Iso
})
export type TaskSummary = z.infer<typeof TaskSummarySchema>

export const TaskSchema = TaskSummarySchema.extend({
  description: z.string(),
  parentTaskId: z.string().nullable(),
  preferredBackend: z.string().nullable(),
  preferredModel: z.string().nullable(),
  leaseOwner: z.string().nullable(),
  heartbeatAt: Iso.nullable(),
  result: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  batchGroup: z.string().nullable(),
  completedAt: Iso.nullable(),
  latencyMs: z.number().int().nullable()
})
export type Task = z.infer<typeof TaskSchema>

export const TaskEventSchema = z.strictObject({
  seq: z.number().int(),
  taskId: z.string(),
  kind: TaskEventKindSchema,
  status: TaskStatusSchema,
  attempt: z.number().int(),
  message: z.string().nullable(),
  errorType: TaskErrorTypeSchema.nullable(),
  at: Iso
})
export type TaskEvent = z.infer<typeof TaskEventSchema>

/** A task's subtask as its parent's detail lists it: a parent waits for them and completes with a synthesis of their results. */
export const SubtaskSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  status: TaskStatusSchema
})
export type Subtask = z.infer<typeof SubtaskSchema>

export const TaskDetailSchema = z.strictObject({
  task: TaskSchema,
  events: z.array(TaskEventSchema),
  /** Its subtasks, oldest first; empty for a task never split. */
  subtasks: z.array(SubtaskSchema)
})
export type TaskDetail = z.infer<typeof TaskDetailSchema>

/** What a create answers: the task, and its history so far (its created event), so a window opens it without asking again. */
export const CreatedTaskSchema = TaskSchema.extend({ events: z.array(TaskEventSchema) })
export type CreatedTask = z.infer<typeof CreatedTaskSchema>

const Text = (max: number) => z.string().trim().max(max)
const OptionalName = z.string().trim().min(1).max(200).nullable().optional()

export const TaskCreateInputSchema = z.strictObject({
  title: Text(300).min(3, 'A title needs at least 3 characters, e.g. "Summarise the Q3 report".'),
  description: Text(100_000).min(10, 'A description needs at least 10 characters: say what the answer should contain.'),
  domain: OptionalName,
  priority: TaskPrioritySchema.default('normal'),
  assigneeExpert: OptionalName,
  /** With no assigneeExpert: the lead agent picks the expert for the task's domain (given, or read from its text), else takes it. */
  autoAssign: z.boolean().optional(),
  parentTaskId: z.string().min(1).nullable().optional(),
  preferredBackend: OptionalName,
  preferredModel: OptionalName,
  metadata: z.record(z.string(), z.unknown()).optional(),
  batchGroup: OptionalName
})
export type TaskCreateInput = z.input<typeof TaskCreateInputSchema>

/** Rows per page of `tasks.list`: what a screen of the virtual list needs and a little more, and the most one call returns. */
export const TASK_PAGE_SIZE = 200
export const TASK_PAGE_MAX = 1000

export const TaskListInputSchema = z.strictObject({
  status: TaskStatusSchema.optional(),
  expert: z.string().max(200).optional(),
  domain: z.string().max(200).optional(),
  backend: z.string().max(200).optional(),
  search: z.string().max(200).optional(),
  ...pageInput(TASK_PAGE_SIZE, TASK_PAGE_MAX)
})
export type TaskListInput = z.input<typeof TaskListInputSchema>

export const TaskFacetsSchema = z.strictObject({
  experts: z.array(z.string()),
  domains: z.array(z.string()),
  backends: z.array(z.string())
})
export type TaskFacets = z.infer<typeof TaskFacetsSchema>

/** Tasks by status, kept current by every write, so reading them costs nothing at any queue size. */
export const TaskStatusCountsSchema = z.record(TaskStatusSchema, z.number().int())
export type TaskStatusCounts = z.infer<typeof TaskStatusCountsSchema>

export const TaskListSchema = z.strictObject({
  /** One page, newest first (by creation time, then id). */
  tasks: z.array(TaskSummarySchema),
  /** How many tasks match the filters; on the first page only (null on the pages after it, which would count them again). */
  total: z.number().int().nullable(),
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: NextCursorSchema,
  /** The values each filter can take; on the first page only (null on the pages after it). */
  facets: TaskFacetsSchema.nullable()
})
export type TaskList = z.infer<typeof TaskListSchema>

/**
 * What one committed write changed: each task it touched, as a list row shows
 * it after the commit, and the counts by status after it. A view applies it
 * instead of reading the list again.
 */
export const TasksChangedSchema = z.strictObject({
  tasks: z.array(TaskSummarySchema),
  counts: TaskStatusCountsSchema
})
export type TasksChanged = z.infer<typeof TasksChangedSchema>

/** Task latency on one backend and model, over the newest completions of the last 24 hours (a bounded number in all: LATENCY_SAMPLE). */
export const LatencySchema = z.strictObject({
  backend: z.string(),
  model: z.string(),
  /** Completions the percentiles are taken over. */
  count: z.number().int(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p99Ms: z.number()
})

export const TaskCountersSchema = z.strictObject({
  byStatus: TaskStatusCountsSchema,
  /** Every time a task was sent to manual review, including ones returned since. */
  deferredToHumanTotal: z.number().int(),
  deferredByErrorType: z.record(TaskErrorTypeSchema, z.number().int()),
  completionsPerMinute: z.number(),
  latency: z.array(LatencySchema)
})
export type TaskCounters = z.infer<typeof TaskCountersSchema>

/** What the adaptive controller decided in its last cycle, and from what. */
export const ConcurrencySchema = z.strictObject({
  effective: z.number().int(),
  floor: z.number().int(),
  ceiling: z.number().int(),
  reason: z.string(),
  cpuLoad: z.number(),
  freeMemoryRatio: z.number(),
  activeRequests: z.number().int(),
  latencyMs: z.number().nullable(),
  errorRate: z.number(),
  oomRecently: z.boolean(),
  at: Iso
})
export type Concurrency = z.infer<typeof ConcurrencySchema>

export const EngineStateSchema = z.strictObject({
  /** False until a model backend is connected: tasks then wait as pending. */
  processorConnected: z.boolean(),
  /** Paused by a person: running tasks finish, nothing new starts until resumed. */
  paused: z.boolean(),
  /** Why pending tasks are not being started right now (e.g. no model server that could run them is up); null while they are. */
  waiting: z.string().nullable(),
  state: z.enum(['running', 'idle', 'stopping', 'stopped']),
  running: z.number().int(),
  concurrency: ConcurrencySchema
})
export type EngineState = z.infer<typeof EngineStateSchema>

export const TaskIdInputSchema = z.strictObject({ id: z.string().min(1) })

export const TaskRequeueInputSchema = z.union([
  z.strictObject({ ids: z.array(z.string().min(1)).min(1).max(50_000) }),
  z.strictObject({ all: z.literal(true) })
])

export const TASKS_CALLS = {
  'tasks.create': call({
    scope: 'write',
    summary:
      'Queue a task; answers it with its history so far. A duplicate of one from the last 30 days for the same expert is refused with its id.',
    input: TaskCreateInputSchema,
    output: CreatedTaskSchema
  }),
  'tasks.list': call({
    scope: 'read',
    summary:
      'One page of the tasks matching the filters, newest first, with a cursor to the next; the first page also has the total and the values each filter can take.',
    input: TaskListInputSchema,
    output: TaskListSchema
  }),
  'tasks.get': call({
    scope: 'read',
    summary: 'One task with its whole event history and its subtasks.',
    input: TaskIdInputSchema,
    output: TaskDetailSchema
  }),
  'tasks.counters': call({
    scope: 'read',
    summary: 'Tasks by status, manual-review totals, completions per minute and latency percentiles.',
    input: EmptyInputSchema,
    output: TaskCountersSchema
  }),
  'tasks.engine': call({
    scope: 'read',
    summary: 'Whether a processor is connected, how many tasks run, and the adaptive concurrency with its inputs.',
    input: EmptyInputSchema,
    output: EngineStateSchema
  }),
  'tasks.pause': call({
    scope: 'write',
    summary: 'Pause autoprocessing: running tasks finish, no new task starts until resumed.',
    input: EmptyInputSchema,
    output: EngineStateSchema
  }),
  'tasks.resume': call({
    scope: 'write',
    summary: 'Resume autoprocessing.',
    input: EmptyInputSchema,
    output: EngineStateSchema
  }),
  'tasks.cancel': call({
    scope: 'write',
    summary: 'Cancel a task that has not finished.',
    input: TaskIdInputSchema,
    output: TaskSchema
  }),
  'tasks.requeue': call({
    scope: 'write',
    summary: 'Return tasks in manual review (some, or all) to autoprocessing, keeping their error history.',
    input: TaskRequeueInputSchema,
    output: z.strictObject({ requeued: z.array(z.string()) })
  })
} as const

export const TASKS_EVENTS = {
  /** One per committed write of the queue (a create, or a group of completions, claims, failures, …), after it is on disk. */
  'tasks.changed': TasksChangedSchema,
  'tasks.concurrency': ConcurrencySchema,
  /** Paused, resumed, or a processor connected. */
  'tasks.engineChanged': EngineStateSchema
} as const
