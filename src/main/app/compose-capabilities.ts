import { dirname, join } from 'node:path'
import type { AppInfo } from '../../shared/contract/app-contract'
import { valueOrNull } from '../../shared/contract/client'
import { createBackendLimits } from '../autopilot/backend-limits'
import { batchingProcessor } from '../batching/batching-processor'
import { decomposingProcessor } from '../chat/task-decomposition'
import { createGapSource } from '../autopilot/learning-gaps'
import { createLearningGenerator } from '../autopilot/learning-generator'
import { createLearningResults } from '../autopilot/learning-results'
import { scheduleLearning } from '../autopilot/learning-schedule'
import { createPredictiveMonitor } from '../autopilot/predictive-monitor'
import { createSearchMisses } from '../autopilot/search-misses'
import { createQueueProbe } from '../autopilot/queue-probe'
import { createApprovalsCapability } from '../approvals/approvals-capability'
import { createBoardCapability } from '../board/board-capability'
import { createChatCapability } from '../chat/chat-capability'
import { createChecklistCapability } from '../checklist/checklist-capability'
import { capabilityChecks } from '../checklist/checks/capability-checks'
import { predictiveCheck } from '../checklist/checks/predictive-check'
import { storageChecks } from '../checklist/checks/storage-checks'
import type { CliSetting } from '../config/config-resolver'
import { configHandlers } from '../config/config-handlers'
import { autoAssigning } from './task-auto-assign'
import type { ConfigService } from '../config/config-service'
import { loadConfig } from '../config/load-config'
import type { SettingKey } from '../config/setting-definitions'
import { backupCopy } from '../db/backup-copy'
import type { Db } from '../db/database'
import { inspectInstanceLock } from '../db/instance-lock'
import type { Migration } from '../db/migrations'
import type { EventBus } from '../events/event-bus'
import { createDigestCapability } from '../digest/digest-capability'
import { databaseHealth } from '../health/database-health'
import { createDiskSpaceMonitor, type DiskThresholds } from '../health/disk-space-monitor'
import { healthHandlers } from '../health/health-handlers'
import { createHealthMonitor } from '../health/health-monitor'
import { checkFullTextIndex } from '../knowledge/full-text-index'
import { knowledgeContextPort } from '../knowledge/knowledge-context-port'
import { knowledgeHealth } from '../knowledge/knowledge-health'
import { createKnowledgeCapability } from '../knowledge/knowledge-capability'
import type { Logger } from '../log/logger'
import { createOverviewSampler } from '../metrics/overview-sampler'
import { metricsHandlers } from '../metrics/task-durations'
import { createModelLatency } from '../metrics/model-latency'
import { llamaWorkerFile } from '../models/embedded/worker-file'
import { createModelsCapability } from '../models/models-capability'
import { createNotifyCapability } from '../notify/notify-capability'
import { createOnboardingCapability } from '../onboarding/onboarding-capability'
import { isLoopbackHost } from '../platform/loopback'
import { realClock } from '../platform/timer-clock'
import { freeBytes } from '../platform/storage-failure'
import type { PlatformInfo } from '../platform/data-dir'
import type { SecretCipher } from '../ports/secret-cipher'
import type { TaskProcessor } from '../ports/task-processor'
import type { Dispatcher } from '../rpc/dispatcher'
import type { Capability, Handlers } from '../rpc/handler-types'
import { FULL_SCOPES, READ_SCOPES, inProcessClient } from '../rpc/in-process-client'
import { createSecretStore } from '../secrets/secret-store'
import { secretsHandlers } from '../secrets/secrets-handlers'
import { modelServerSpecs } from '../supervisor/model-server-specs'
import { createSupervisor } from '../supervisor/supervisor'
import { supervisorHandlers } from '../supervisor/supervisor-handlers'
import { createTasksCapability } from '../tasks/tasks-capability'
import { createValidationCapability } from '../validation/validation-capability'
import { createDecisionLogStore } from '../workflows/decision-log-store'
import { createWorkflowsCapability } from '../workflows/workflows-capability'
import { routerChatModel } from './adapters/router-chat-model'
import { logFailedModelCall, logFailedTaskCall } from './adapters/failed-model-call'
import { taskUsage, tokenBudget } from './adapters/task-usage'
import { createUsageCapability } from '../usage/usage-capability'
import { taskTokensFrom } from '../usage/task-tokens'
import { createTrailCapability } from '../trail/trail-capability'
import { learnedNotesThrough, researchFiler } from './adapters/research-filer'
import { sreTasksThrough } from './adapters/sre-tasks'
import { workflowActions } from './adapters/workflow-actions'
import { taskFamilyReader } from './adapters/task-family'
import { version as appVersion } from '../../../package.json'
import { createTraceExport } from '../telemetry/trace-export'
import { tracedProcessor } from '../telemetry/traced-processor'
import { requestSpan, taskSpans } from '../telemetry/task-spans'
import { workerHealth } from './adapters/worker-health'
import { appHandlers, systemHandlers } from './app-handlers'
import { checklistFixBlocked, checklistFixes } from './checklist-fixes'
import { reviewHandlers } from './review-suggestions'
import { startHousekeeping } from './housekeeping'
import { createSystemResume, type SystemResume } from './system-resume'
import { createSuspendDetector } from '../platform/suspend-detector'
import { withStorageFailures } from './storage-failures'

export type Lifecycle = Pick<Capability<string>, 'stop' | 'onSystemResume'>

/** What the composition needs from start-up: the opened store, the settings, the log, and where things live. */
export interface Infrastructure {
  readonly db: Db
  readonly config: ConfigService
  readonly events: EventBus
  readonly log: Logger
  readonly dataDir: { readonly path: string; readonly source: Parameters<typeof loadConfig>[0]['dataDir']['source'] }
  readonly databaseFile: string
  readonly logFile: string
  readonly exportsDir: string
  readonly migrations: readonly Migration[]
  readonly info: () => AppInfo
  readonly platform: PlatformInfo
  readonly cliSettings: ReadonlyMap<SettingKey, CliSetting>
  readonly nativeBinding?: string
  readonly secretCipher?: SecretCipher
  /** Replaces the model router as the task engine's processor (benchmarks). */
  readonly taskProcessor?: TaskProcessor
  /** False for one-shot CLI commands: the services answer calls, nothing runs in the background. */
  readonly background: boolean
}

export interface Composition {
  readonly handlers: Handlers
  /** Stopped newest first on close. */
  readonly lifecycles: readonly Lifecycle[]
  /** The wake-from-sleep path: supervisor check, node rescan, lease grace for running tasks. */
  readonly resume: SystemResume
  /** Starts the background work, once the dispatcher the parts call through exists. */
  start(dispatcher: Dispatcher): void
}

const SUSPEND_CHECK_MS = 5_000
// Sleep shorter than this needs no recovery (a server does not die of it); it also stays clear of NTP's small steps.
const MIN_SLEEP_MS = 20_000
const MB = 1024 * 1024
/** How often the free space of the data dir's disk is measured (one statfs). */
const DISK_SAMPLE_MS = 2000

/**
 * Every capability, built once and given only what it needs; where one needs
 * another, the implementation goes in through a port (the router is the task
 * engine's processor, the knowledge base's embedder and the chat's model).
 * Parts that read the app as the UI does (checklist, Overview, one-click
 * fixes) call through the dispatcher, which exists only after the handlers
 * are gathered: they get a typed client whose dispatcher is bound late.
 */
export function composeCapabilities(infra: Infrastructure): Composition {
  const { db, config, events, log, background } = infra
  let dispatcher: Dispatcher | null = null
  const core = { dispatcher: () => dispatcher, events }
  const reader = inProcessClient(core, { scopes: READ_SCOPES })
  const actor = inProcessClient(core, { scopes: FULL_SCOPES })
  const lifecycles: Lifecycle[] = []

  const secrets = createSecretStore(db, infra.secretCipher ?? null)
  // The embedded engine's GGUF files: it lists them, setup downloads into it.
  const modelsDir = join(infra.dataDir.path, 'models')
  const modelLatency = createModelLatency()
  const models = createModelsCapability({
    config,
    db,
    events,
    log,
    embedded: { modelsDir, workerFile: llamaWorkerFile(__dirname) },
    apiKey: (nodeId) => secrets.get(`node:${nodeId}`),
    onAnswered: (node, model, sample) => modelLatency.observe(node, model, sample)
  })
  lifecycles.push(models)

  const diskThresholds = (): DiskThresholds => ({
    pauseBelowBytes: config.get('disk.pauseBelowMb') * MB,
    warnBelowBytes: config.get('disk.warnBelowMb') * MB
  })
  const disk = createDiskSpaceMonitor({ dir: infra.dataDir.path, freeBytes, thresholds: diskThresholds, log })
  lifecycles.push({ stop: () => disk.stop() })

  const backendLimits = createBackendLimits({
    nodes: () =>
      models.registry.nodes().map((n) => ({
        id: n.id,
        kind: n.kind,
        up: models.registry.status(n.id).state === 'up',
        own: models.nodeLimits.get(n.id)
      })),
    config
  })
  const routerLog = log.child({ component: 'router' })
  const chatModel = routerChatModel(models.router, undefined, (request, error, ms) =>
    logFailedModelCall(routerLog, request.correlationId, error, ms)
  )
  lifecycles.push({ stop: models.router.onTaskModelFailure((failure) => logFailedTaskCall(routerLog, failure)) })
  // One decision log for every capability that decides: the workflow runner writes it, the validator, the ladder and the approvals record through its port.
  const decisionLog = createDecisionLogStore(db)
  const validation = createValidationCapability({
    db,
    config,
    log,
    model: chatModel
  })
  validation.setDecisionLog(decisionLog)
  // Results are judged per task, so the validator sits outside batching (which answers many tasks in one call) and
  // decomposition (whose parent result is a synthesis); a benchmark's own processor is measured unjudged.
  const guarded = (processor: TaskProcessor): TaskProcessor =>
    infra.taskProcessor ? processor : validation.wrap(processor)
  // Off until telemetry.otlpEndpoint names a collector: then every task, run and model request is a span.
  const traces = createTraceExport({
    endpoint: () => config.get('telemetry.otlpEndpoint'),
    log: log.child({ capability: 'telemetry' }),
    version: appVersion
  })
  lifecycles.push({ stop: () => traces.stop() })
  const tasks = createTasksCapability({
    db,
    config,
    events,
    log,
    processor: tracedProcessor(
      guarded(
        decomposingProcessor(
          batchingProcessor(infra.taskProcessor ?? models.router, {
            settings: () => ({
              enabled: config.get('batching.enabled'),
              maxTasks: config.get('batching.maxTasks'),
              maxTaskTokens: config.get('batching.maxTaskTokens'),
              maxBatchTokens: config.get('batching.maxBatchTokens'),
              windowMs: config.get('batching.windowMs')
            })
          }),
          {
            // Called only once the pool runs, after the tasks capability below exists.
            tasks: { create: (task) => tasks.queue.create(task) },
            family: taskFamilyReader(db),
            experts: async () => valueOrNull(await reader.call('chat.experts.list', {}))?.experts ?? [],
            enabled: () => config.get('autopilot.decomposeEnabled'),
            log: log.child({ capability: 'decomposition' })
          }
        )
      ),
      traces
    ),
    background,
    holdClaims: () => disk.pausedReason(),
    backendLimits
  })
  lifecycles.push(tasks)
  const searchMisses = createSearchMisses(db)
  const knowledge = createKnowledgeCapability({
    db,
    config,
    events,
    log,
    embedder: models.embedder,
    background,
    backup: (reason) => backupCopy(db, infra.dataDir.path, reason),
    onSearchWithoutResult: (query, domain) => {
      // A gap not noted costs a research task at most; the search itself must still answer.
      try {
        searchMisses.record(query, domain)
      } catch (error) {
        log.warn('search without result not recorded', { error: (error as Error).message })
      }
    }
  })
  lifecycles.push(knowledge)

  const supervisor = createSupervisor({
    specs: modelServerSpecs({
      config,
      env: infra.platform.env,
      logsDir: dirname(infra.logFile),
      home: infra.platform.home
    }),
    onChange: (statuses) => {
      events.emit('supervisor.changed', statuses)
      void health.check()
    },
    onMemoryFailure: (id) => models.router.noteOom(id === 'ollama' ? 'ollama-local' : 'mlx-local')
  })
  lifecycles.push(supervisor)

  const approvals = createApprovalsCapability({ db, events, log, decisions: decisionLog })
  const isRemoteNode = (id: string): boolean => {
    const node = models.registry.nodes().find((n) => n.id === id)
    return node !== undefined && node.kind !== 'embedded' && !isLoopbackHost(new URL(node.url).hostname)
  }
  const usage = createUsageCapability({
    db,
    events,
    log,
    settings: {
      pricePer1k: () => config.get('chat.remotePricePer1k'),
      tokenBudget: () => tokenBudget(config),
      budgetPeriod: () => config.get('usage.budgetPeriod')
    },
    isRemoteNode,
    labels: {
      expert: (id) => chat.experts.get(id)?.name ?? id,
      node: (id) => models.registry.nodes().find((n) => n.id === id)?.label ?? id
    }
  })
  lifecycles.push({ stop: models.router.onTaskModelCall((call) => usage.record(taskUsage(call))) })
  lifecycles.push({
    stop: models.router.onTaskModelCall((call) =>
      traces.record(
        requestSpan({
          correlationId: call.task.correlationId,
          taskId: call.task.id,
          node: call.node,
          model: call.model,
          durationMs: call.durationMs,
          tokensIn: call.usage?.tokensIn ?? null,
          tokensOut: call.usage?.tokensOut ?? null,
          failed: call.failed
        })
      )
    )
  })
  lifecycles.push({
    stop: events.subscribe(
      taskSpans({
        traces,
        enabled: () => config.get('telemetry.otlpEndpoint').trim() !== '',
        correlationOf: async (id) => {
          const correlation = valueOrNull(await reader.call('tasks.get', { id }))?.task.metadata.correlationId
          return typeof correlation === 'string' ? correlation : null
        }
      })
    )
  })

  const board = createBoardCapability({
    db,
    model: chatModel,
    events,
    timeoutSec: () => config.get('chat.boardTimeoutSec')
  })
  if (background) {
    validation.startLadder({
      tasks: {
        get: (id) => tasks.engine.store.get(id),
        events: (id) => tasks.engine.store.events(id),
        onEvents: (listener) => tasks.engine.onEvents(listener),
        requeue: (ids) => tasks.engine.requeue(ids)
      },
      board: board.service,
      models: (category) => models.router.candidates({ category })
    })
    lifecycles.push(validation)
  }
  const chat = createChatCapability({
    db,
    events,
    config,
    log,
    board: board.service,
    model: chatModel,
    tasks: tasks.queue,
    knowledge: knowledgeContextPort(knowledge.service),
    usage
  })
  lifecycles.push(chat)

  const workflows = createWorkflowsCapability({
    db,
    events,
    log,
    dataDir: infra.dataDir.path,
    decisions: decisionLog,
    validator: validation.validator,
    testRunner: validation.testRunner,
    approvals: approvals.queue,
    taskTokens: taskTokensFrom(db),
    tasks: tasks.queue,
    cancelTask: async (id) => void (await tasks.engine.cancel(id)),
    actions: workflowActions(actor)
  })
  lifecycles.push(workflows)

  const predictive = createPredictiveMonitor({
    probe: createQueueProbe(db),
    tasks: sreTasksThrough(actor, log),
    thresholds: () => ({
      stalledRunningCount: config.get('autopilot.stalledRunningCount'),
      stalledRunningMinutes: config.get('autopilot.stalledRunningMinutes'),
      oldPendingCount: config.get('autopilot.oldPendingCount'),
      oldPendingMinutes: config.get('autopilot.oldPendingMinutes')
    }),
    now: Date.now,
    log: log.child({ capability: 'autopilot' })
  })

  const learnedNotes = createLearningResults({
    ...learnedNotesThrough(actor),
    minAnswerChars: () => config.get('worker.minAnswerChars'),
    log: log.child({ capability: 'autopilot' })
  })
  lifecycles.push({ stop: tasks.engine.onEvents((batch) => learnedNotes.taskEvents(batch)) })
  const learning = createLearningGenerator({
    gaps: createGapSource(db),
    experts: async () => valueOrNull(await reader.call('chat.experts.list', {}))?.experts ?? [],
    modelsDown: async () => {
      const overview = valueOrNull(await reader.call('models.list', {}))
      if (!overview) return 'the model servers could not be read'
      if (overview.nodes.some((n) => n.state === 'up' && n.models.length > 0)) return null
      const down = overview.nodes
        .filter((n) => n.state !== 'not_configured')
        .map((n) => `${n.label}: ${n.state === 'up' ? 'no models' : (n.error ?? n.state)}`)
      return down.length > 0 ? down.join('; ') : 'no model server is configured'
    },
    file: researchFiler(actor, (id) => learnedNotes.watch(id)),
    fileLearned: (id) => learnedNotes.completed(id),
    settings: () => ({
      enabled: config.get('autopilot.learningEnabled'),
      perExpertPerDay: config.get('autopilot.learningPerExpertPerDay')
    }),
    now: Date.now,
    log: log.child({ capability: 'autopilot' })
  })
  const notify = createNotifyCapability({ config, secrets, events, log })
  lifecycles.push(notify)
  const digest = createDigestCapability({
    db,
    digestHour: () => config.get('notify.digestHour'),
    events,
    log,
    clock: realClock,
    send: ({ digest: d, title, message }) =>
      notify.notify({
        kind: 'digest',
        title,
        message,
        severity: d.tasks.inReview + d.restarts.count + d.circuits.count > 0 ? 'warning' : 'info',
        at: d.to,
        details: d
      })
  })
  lifecycles.push(digest)

  const health = createHealthMonitor()
  predictive.onChange(() => void health.check())
  disk.onChange(() => {
    events.emit('tasks.engineChanged', tasks.engine.state())
    void health.check()
  })
  for (const source of [
    models.health,
    { component: 'supervisor', report: () => supervisor.health() },
    databaseHealth(db),
    { component: 'disk', report: () => disk.health() },
    workerHealth(tasks.engine),
    { component: 'predictive-monitor', report: () => predictive.health() },
    knowledgeHealth(knowledge.service),
    chat.health
  ])
    health.add(source)
  health.onChange((snapshot) => events.emit('health.changed', snapshot))
  models.registry.onChange(() => {
    // A scan may have found the embedding model (pulled, or a node added): look at once, not at the next retry.
    knowledge.worker?.kick()
    void health.check()
    void supervisor.recheck()
  })
  events.subscribe((frame) => {
    if (frame.name === 'tasks.engineChanged' || frame.name === 'knowledge.changed') void health.check()
  })
  lifecycles.push({ stop: () => health.stop() })

  if (background)
    lifecycles.push(startHousekeeping({ logFile: infra.logFile, exportsDir: infra.exportsDir, config, log }))

  // The checklist reads every other capability, so it is built last.
  const checklist = createChecklistCapability({
    db,
    events,
    log,
    databaseFile: infra.databaseFile,
    logFile: infra.logFile,
    migrations: infra.migrations,
    app: {
      dataDir: infra.dataDir.path,
      instanceOwner: () => {
        const found = inspectInstanceLock(infra.dataDir.path, infra.nativeBinding)
        return { heldByUs: found.held && found.owner?.pid === process.pid, ownerPid: found.owner?.pid ?? null }
      },
      revalidateConfig: () => {
        const again = loadConfig({ dataDir: infra.dataDir, cli: infra.cliSettings, env: infra.platform.env })
        return again.ok ? [] : again.messages
      },
      settingSources: () => countBy(config.snapshot().settings.map((s) => s.source.kind)),
      fileFolders: [dirname(infra.logFile), infra.exportsDir],
      filesBoundBytes: () => config.get('files.warnMb') * 1024 * 1024,
      timeouts: () => ({
        llmRequestSec: config.get('llm.requestTimeoutSec'),
        heartbeatSec: config.get('worker.heartbeatSec'),
        stuckMinutes: config.get('worker.stuckMinutes')
      })
    },
    capabilityChecks: [
      ...capabilityChecks({
        client: reader,
        stuckMinutes: () => config.get('worker.stuckMinutes'),
        now: () => new Date(),
        generationThreshold: () => ({
          failurePercent: config.get('models.circuitFailurePercent'),
          minGenerations: config.get('models.circuitMinRequests')
        })
      }),
      predictiveCheck(predictive),
      ...storageChecks({
        dataDir: infra.dataDir.path,
        freeBytes: async () => (await disk.sample()).freeBytes,
        thresholds: diskThresholds,
        checkFullTextIndex: () => checkFullTextIndex(db)
      })
    ],
    errorTypes: async () => valueOrNull(await reader.call('tasks.counters', {}))?.deferredByErrorType ?? {},
    fixes: checklistFixes(actor, config),
    fixBlocked: checklistFixBlocked(() => supervisor.statuses().find((s) => s.id === 'ollama')),
    intervalMinutes: () => config.get('checklist.intervalMin'),
    background: false
  })
  lifecycles.push(checklist)

  const overview = createOverviewSampler(reader, events)
  lifecycles.push(overview)

  const onboarding = createOnboardingCapability({
    client: actor,
    config,
    events,
    log: log.child({ capability: 'onboarding' }),
    modelsDir
  })
  lifecycles.push(onboarding)

  // Supervised servers first (they may have died asleep), then the nodes are scanned again, then the running tasks prove their leases alive and the pool looks for work.
  const resume = createSystemResume({
    log,
    steps: [
      { step: 'supervisor check', run: () => supervisor.onSystemResume() },
      { step: 'model node rescan', run: () => models.onSystemResume?.() },
      { step: 'task lease grace', run: () => tasks.onSystemResume?.() }
    ]
  })
  if (background) {
    // The headless host has no powerMonitor: the core notices a wake itself.
    const detector = createSuspendDetector({
      wall: Date.now,
      monotonic: () => performance.now(),
      everyMs: SUSPEND_CHECK_MS,
      minSleepMs: MIN_SLEEP_MS,
      onWake: (sleptMs) => void resume.run('detected', sleptMs)
    })
    detector.start()
    lifecycles.push({ stop: () => detector.stop() })
  }

  const handlers: Handlers = withStorageFailures(
    {
      ...appHandlers(infra.info, () => config.get('host.rateLimit.workPerMinute')),
      ...systemHandlers(resume),
      ...configHandlers(config),
      ...secretsHandlers(secrets),
      ...tasks.handlers,
      'tasks.create': autoAssigning(
        tasks.handlers['tasks.create'],
        async () => valueOrNull(await reader.call('chat.experts.list', {}))?.experts ?? []
      ),
      ...models.handlers,
      ...supervisorHandlers(supervisor),
      ...healthHandlers(health),
      ...knowledge.handlers,
      ...board.handlers,
      ...chat.handlers,
      ...usage.handlers,
      ...createTrailCapability({ db, logFile: infra.logFile }).handlers,
      ...checklist.handlers,
      ...overview.handlers,
      ...notify.handlers,
      ...digest.handlers,
      ...metricsHandlers(db, modelLatency),
      ...approvals.handlers,
      ...validation.handlers,
      ...workflows.handlers,
      ...onboarding.handlers,
      ...reviewHandlers(reader)
    },
    infra.dataDir.path,
    () => void disk.sample()
  )

  return {
    handlers,
    lifecycles,
    resume,
    start(bound) {
      dispatcher = bound
      if (!background) return
      disk.start(DISK_SAMPLE_MS)
      models.begin()
      void supervisor.begin()
      health.start(5000)
      // The first run waits for the first model scan (models.begin started it; scan() joins it, each node time-bounded).
      checklist.service.start(models.registry.scan())
      overview.start()
      onboarding.begin()
      const learningRuns = scheduleLearning(
        () => learning.run(),
        () => config.get('autopilot.learningIntervalMin'),
        log
      )
      lifecycles.push({ stop: () => learningRuns.stop() })
      digest.start()
      workflows.begin()
    }
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return counts
}
