import { z } from 'zod'
import { EmptyInputSchema } from './app-contract'
import { call } from './define'
import { TaskErrorTypeSchema } from './tasks-contract'

/**
 * Calls and events of the models capability: model nodes and routing
 * (`models.*`), the supervisor of the model servers (`supervisor.*`) and the
 * app's aggregate health (`health.*`).
 */

export const HealthLevelSchema = z.enum(['ok', 'degraded', 'down'])
export type HealthLevel = z.infer<typeof HealthLevelSchema>
export const HealthReportSchema = z.strictObject({
  component: z.string(),
  level: HealthLevelSchema,
  reasons: z.array(z.string())
})
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
export type ModelEntry = z.infer<typeof ModelEntrySchema>
/**
 * A node/model whose circuit is open: every request to it failed, so nothing is planned on it
 * until one tiny probe generation succeeds; tasks that can only run there wait, their attempts untouched.
 */
export const CircuitViewSchema = z.strictObject({
  node: z.string(),
  model: z.string(),
  /** half_open: the probe is running. */
  state: z.enum(['open', 'half_open']),
  /** "ollama-local (llama3.2:3b): 500 “llama runner process has terminated” on 8 of the last 8 generations since 14:02" */
  reason: z.string(),
  /** What the failures were, in the task error types' terms. */
  errorType: TaskErrorTypeSchema.nullable(),
  openedAt: z.iso.datetime(),
  nextProbeAt: z.iso.datetime().nullable(),
  lastProbeFailure: z.string().nullable()
})
export type CircuitView = z.infer<typeof CircuitViewSchema>
export const GenerationTallySchema = z.strictObject({
  node: z.string(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  topFailure: z.string().nullable()
})
export type GenerationTally = z.infer<typeof GenerationTallySchema>
export const CircuitsSchema = z.strictObject({
  circuits: z.array(CircuitViewSchema),
  /** Generations per node over the last `windowMin` minutes (models.generationStatsMin). */
  generations: z.strictObject({ windowMin: z.number().int(), nodes: z.array(GenerationTallySchema) })
})
export type Circuits = z.infer<typeof CircuitsSchema>
const CircuitStateSchema = z.enum(['closed', 'open', 'half_open'])
export const CircuitChangeSchema = z.strictObject({
  node: z.string(),
  model: z.string(),
  from: CircuitStateSchema,
  to: CircuitStateSchema,
  /** The circuit as it is now; null once closed. */
  circuit: CircuitViewSchema.nullable()
})
export type CircuitChange = z.infer<typeof CircuitChangeSchema>

export const NodeViewSchema = z.strictObject({
  id: z.string(),
  kind: BackendKindSchema,
  url: z.string(),
  label: z.string(),
  source: z.enum(['settings', 'user']),
  /**
   * not_configured: a node from Settings at its default URL that nothing answers and that was never
   * seen up, nor is supervised (the MLX server nobody set up). It is not a failure, and not routed to.
   */
  state: z.enum(['unknown', 'up', 'down', 'not_configured']),
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
  scannedAt: z.iso.datetime().nullable(),
  /** null: the backend cannot tell which models are in memory. */
  loadedKnown: z.boolean(),
  models: z.array(ModelEntrySchema),
  activeRequests: z.number().int(),
  errorRate: z.number(),
  oomRecently: z.boolean(),
  /** Its models whose circuit is open. */
  circuits: z.array(CircuitViewSchema),
  /** Its generations over the last models.generationStatsMin minutes. */
  generations: z.strictObject({ succeeded: z.number().int(), failed: z.number().int() }),
  /**
   * What the scheduler gives it at once: `total` model calls (a batch of small tasks is one; null: only the pool's size bounds it) and `heavy`
   * heavy-model calls, from its own caps where set (`own`), else from its kind's settings.
   */
  limit: z.strictObject({
    total: z.number().int().nullable(),
    heavy: z.number().int(),
    own: z
      .strictObject({ maxConcurrent: z.number().int().nullable(), maxHeavy: z.number().int().nullable() })
      .nullable()
  })
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
  lastFailure: z
    .strictObject({
      kind: z.enum(['metal_oom', 'runner_terminated', 'context_alloc_failed', 'metal_assertion']),
      line: z.string(),
      at: z.iso.datetime()
    })
    .nullable(),
  lastExit: z
    .strictObject({ code: z.number().int().nullable(), signal: z.string().nullable(), at: z.iso.datetime() })
    .nullable(),
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
  'models.list': call({
    scope: 'read',
    summary: 'Every node with its state, latency and models; speeds per node + model; preferred models.',
    input: EmptyInputSchema,
    output: ModelsOverviewSchema
  }),
  'models.scan': call({
    scope: 'read',
    summary: 'Scan every node now, then list them.',
    input: EmptyInputSchema,
    output: ModelsOverviewSchema
  }),
  'models.addNode': call({
    scope: 'write',
    summary: 'Add an Ollama or OpenAI-compatible server as a node.',
    input: z.strictObject({
      kind: z.enum(['ollama', 'openai']),
      url: z.string().min(1),
      label: z.string().default('')
    }),
    output: ModelsOverviewSchema
  }),
  'models.removeNode': call({
    scope: 'write',
    summary: 'Remove a node added in the Models view.',
    input: NodeIdInput,
    output: ModelsOverviewSchema
  }),
  'models.setPreference': call({
    scope: 'write',
    summary: 'Set (or clear, with null) the preferred model of a task category.',
    input: z.strictObject({ category: z.string().min(1).max(64), model: z.string().min(1).max(200).nullable() }),
    output: ModelsOverviewSchema
  }),
  'models.setNodeLimit': call({
    scope: 'write',
    summary:
      'Set one node’s own caps: model calls at once (a batch of small tasks is one call; 0 = no cap of its own) and heavy-model calls at once; null for either keeps its kind’s setting (mlx.* / ollama.*).',
    input: z.strictObject({
      id: z.string().min(1),
      maxConcurrent: z.number().int().min(0).max(64).nullable(),
      maxHeavy: z.number().int().min(1).max(16).nullable()
    }),
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
    input: z.strictObject({
      messages: z.array(ChatMessageSchema).min(1),
      category: z.string().optional(),
      model: z.string().optional(),
      node: z.string().optional()
    }),
    output: z.strictObject({ requestId: z.string() })
  }),
  'models.circuits': call({
    scope: 'read',
    summary:
      'Open circuits (node/model pairs nothing is planned on until a probe succeeds) with their reasons, and generations per node over the last minutes.',
    input: EmptyInputSchema,
    output: CircuitsSchema
  }),
  'supervisor.list': call({
    scope: 'read',
    summary: 'The model servers the app supervises, with state, restarts and last log lines.',
    input: EmptyInputSchema,
    output: z.array(ProcessStatusSchema)
  }),
  'supervisor.start': call({
    scope: 'write',
    summary: 'Start a supervised server (clears "needs attention").',
    input: ProcessIdInput,
    output: ProcessStatusSchema
  }),
  'supervisor.stop': call({
    scope: 'write',
    summary: 'Stop a server the app started.',
    input: ProcessIdInput,
    output: ProcessStatusSchema
  }),
  'supervisor.restart': call({
    scope: 'write',
    summary: 'Restart a server the app started.',
    input: ProcessIdInput,
    output: ProcessStatusSchema
  }),
  'health.get': call({
    scope: 'read',
    summary: 'The app’s aggregate health with the reasons of every part that is not ok.',
    input: EmptyInputSchema,
    output: HealthSnapshotSchema
  })
} as const

export const MODELS_EVENTS = {
  'models.changed': ModelsOverviewSchema,
  'models.pullProgress': PullProgressSchema,
  'models.chatToken': ChatTokenSchema,
  'models.chatDone': ChatDoneSchema,
  /** A circuit opened, started its probe, or closed. */
  'models.circuitChanged': CircuitChangeSchema,
  'supervisor.changed': z.array(ProcessStatusSchema),
  'health.changed': HealthSnapshotSchema
} as const
