import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'

/**
 * Calls and events of the models capability: model nodes and routing
 * (`models.*`), the supervisor of the model servers (`supervisor.*`) and the
 * app's aggregate health (`health.*`).
 */

export const HealthLevelSchema = z.enum(['ok', 'degraded', 'down'])
export type HealthLevel = z.infer<typeof HealthLevelSchema>
export const HealthReportSchema = z.strictObject({ component: z.string(), level: HealthLevelSchema, reasons: z.array(z.string()) })
export type HealthReport = z.infer<typeof HealthReportSchema>
export const HealthSnapshotSchema = z.strictObject({
  level: HealthLevelSchema,
  reasons: z.array(z.string()),
  components: z.array(HealthReportSchema),
  checkedAt: z.iso.datetime()
})
export type HealthSnapshot = z.infer<typeof HealthSnapshotSchema>

export const BackendKindSchema = z.enum(['ollama', 'openai', 'embedded'])
export const ModelEntrySchema = z.strictObject({
  name: z.string(),
  sizeBytes: z.number().nullable(),
  loaded: z.boolean(),
  heavy: z.boolean()
})
export const NodeViewSchema = z.strictObject({
  id: z.string(),
  kind: BackendKindSchema,
  url: z.string(),
  label: z.string(),
  source: z.enum(['settings', 'user']),
  state: z.enum(['unknown', 'up', 'down']),
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
  scannedAt: z.iso.datetime().nullable(),
  /** null: the backend cannot tell which models are in memory. */
  loadedKnown: z.boolean(),
  models: z.array(ModelEntrySchema),
  activeRequests: z.number().int(),
  errorRate: z.number(),
  oomRecently: z.boolean()
})
export type NodeView = z.infer<typeof NodeViewSchema>
export const ModelSpeedSchema = z.strictObject({
  node: z.string(),
  model: z.string(),
  requests: z.number().int(),
  ttftMsMedian: z.number().nullable(),
  tokensPerSecMedian: z.number().nullable(),
  lastAt: z.iso.datetime().nullable()
})
export const PreferenceSchema = z.strictObject({ category: z.string(), model: z.string() })
export const ModelsOverviewSchema = z.strictObject({
  nodes: z.array(NodeViewSchema),
  speeds: z.array(ModelSpeedSchema),
  preferences: z.array(PreferenceSchema),
  /** Categories offered for preferences: the usual task domains plus "general" and "embedding". */
  categories: z.array(z.string())
})
export type ModelsOverview = z.infer<typeof ModelsOverviewSchema>

export const PullProgressSchema = z.strictObject({
  pullId: z.string(),
  node: z.string(),
  model: z.string(),
  status: z.string(),
  completed: z.number().nullable(),
  total: z.number().nullable(),
  state: z.enum(['running', 'done', 'failed']),
  error: z.string().nullable()
})
export type PullProgress = z.infer<typeof PullProgressSchema>

export const ProcessStatusSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  command: z.string(),
  mode: z.enum(['off', 'adopt', 'manage']),
  state: z.enum(['off', 'not_installed', 'stopped', 'starting', 'running', 'adopted', 'restarting', 'needs_attention']),
  installed: z.boolean(),
  pid: z.number().int().nullable(),
  restartsLastHour: z.number().int(),
  reason: z.string().nullable(),
  warning: z.string().nullable(),
  lastFailure: z.strictObject({ kind: z.enum(['metal_oom', 'runner_terminated', 'context_alloc_failed', 'metal_assertion']), line: z.string(), at: z.iso.datetime() }).nullable(),
  lastExit: z.strictObject({ code: z.number().int().nullable(), signal: z.string().nullable(), at: z.iso.datetime() }).nullable(),
  logTail: z.array(z.string()),
  logFile: z.string()
})
export type ProcessStatus = z.infer<typeof ProcessStatusSchema>

export const ChatMessageSchema = z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })
export const ChatTokenSchema = z.strictObject({ requestId: z.string(), token: z.string() })
export const ChatDoneSchema = z.strictObject({
  requestId: z.string(),
  ok: z.boolean(),
  node: z.string().nullable(),
  model: z.string().nullable(),
  error: z.string().nullable()
})

const NodeIdInput = z.strictObject({ id: z.string().min(1) })
const ProcessIdInput = z.strictObject({ id: z.string().min(1) })

export const MODELS_CALLS = {
  'models.list': call({ scope: 'read', summary: 'Every node with its state, latency and models; speeds per node + model; preferred models.', input: EmptyInputSchema, output: ModelsOverviewSchema }),
  'models.scan': call({ scope: 'read', summary: 'Scan every node now, then list them.', input: EmptyInputSchema, output: ModelsOverviewSchema }),
  'models.addNode': call({
    scope: 'write',
    summary: 'Add an Ollama or OpenAI-compatible server as a node.',
    input: z.strictObject({ kind: z.enum(['ollama', 'openai']), url: z.string().min(1), label: z.string().default('') }),
    output: ModelsOverviewSchema
  }),
  'models.removeNode': call({ scope: 'write', summary: 'Remove a node added in the Models view.', input: NodeIdInput, output: ModelsOverviewSchema }),
  'models.setPreference': call({
    scope: 'write',
    summary: 'Set (or clear, with null) the preferred model of a task category.',
    input: z.strictObject({ category: z.string().min(1).max(64), model: z.string().min(1).max(200).nullable() }),
    output: ModelsOverviewSchema
  }),
  'models.pull': call({
    scope: 'write',
    summary: 'Pull a model onto an Ollama node; progress arrives as models.pullProgress events.',
    input: z.strictObject({ node: z.string().min(1), model: z.string().min(1).max(200) }),
    output: PullProgressSchema
  }),
  'models.chat': call({
    scope: 'write',
    summary: 'Ask the router a question; tokens arrive as models.chatToken events, the end as models.chatDone.',
    input: z.strictObject({ messages: z.array(ChatMessageSchema).min(1), category: z.string().optional(), model: z.string().optional(), node: z.string().optional() }),
    output: z.strictObject({ requestId: z.string() })
  }),
  'supervisor.list': call({ scope: 'read', summary: 'The model servers the app supervises, with state, restarts and last log lines.', input: EmptyInputSchema, output: z.array(ProcessStatusSchema) }),
  'supervisor.start': call({ scope: 'write', summary: 'Start a supervised server (clears "needs attention").', input: ProcessIdInput, output: ProcessStatusSchema }),
  'supervisor.stop': call({ scope: 'write', summary: 'Stop a server the app started.', input: ProcessIdInput, output: ProcessStatusSchema }),
  'supervisor.restart': call({ scope: 'write', summary: 'Restart a server the app started.', input: ProcessIdInput, output: ProcessStatusSchema }),
  'health.get': call({ scope: 'read', summary: 'The app’s aggregate health with the reasons of every part that is not ok.', input: EmptyInputSchema, output: HealthSnapshotSchema })
} as const

export const MODELS_EVENTS = {
  'models.changed': ModelsOverviewSchema,
  'models.pullProgress': PullProgressSchema,
  'models.chatToken': ChatTokenSchema,
  'models.chatDone': ChatDoneSchema,
  'supervisor.changed': z.array(ProcessStatusSchema),
  'health.changed': HealthSnapshotSchema
} as const
