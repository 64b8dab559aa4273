import { dirname, join } from 'node:path'
import { createBackendLimits } from '../autopilot/backend-limits'
import { scheduleLearning } from '../autopilot/learning-schedule'
import { createPredictiveMonitor } from '../autopilot/predictive-monitor'
import { createSearchMisses } from '../autopilot/search-misses'
import { createQueueProbe } from '../autopilot/queue-probe'
import { createApprovalsCapability } from '../approvals/approvals-capability'
import { createBoardCapability } from '../board/board-capability'
import { createChatCapability } from '../chat/chat-capability'
import { configHandlers } from '../config/config-handlers'
import { backupCopy } from '../db/backup-copy'
import { createDigestCapability } from '../digest/digest-capability'
import { databaseHealth } from '../health/database-health'
import { healthHandlers } from '../health/health-handlers'
import { knowledgeContextPort } from '../knowledge/knowledge-context-port'
import { knowledgeHealth } from '../knowledge/knowledge-health'
import { createKnowledgeCapability } from '../knowledge/knowledge-capability'
import { createOverviewSampler } from '../metrics/overview-sampler'
import { metricsHandlers } from '../metrics/task-durations'
import { createModelLatency } from '../metrics/model-latency'
import { llamaWorkerFile } from '../models/embedded/worker-file'
import { lexicalWorkerStarter } from '../knowledge/lexical-worker-file'
import { createModelsCapability } from '../models/models-capability'
import { createNotifyCapability } from '../notify/notify-capability'
import { createOnboardingCapability } from '../onboarding/onboarding-capability'
import { isLoopbackHost } from '../platform/loopback'
import { realClock } from '../platform/timer-clock'
import type { Dispatcher } from '../rpc/dispatcher'
import type { Handlers } from '../rpc/handler-types'
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
import { sreTasksThrough } from './adapters/sre-tasks'
import { workflowActions } from './adapters/workflow-actions'
import { version as appVersion } from '../../../package.json'
import { createTraceExport } from '../telemetry/trace-export'
import { taskProcessorChain } from './compose-task-processor'
import { composeLearning } from './compose-learning'
import { traceTasksAndRequests } from './compose-traces'
import { workerHealth } from './adapters/worker-health'
import { appHandlers, systemHandlers } from './app-handlers'
import { reviewHandlers } from './review-suggestions'
import { taskCreate } from './task-create'
import { startHousekeeping } from './housekeeping'
import { composeChecklist } from './compose-checklist'
import { composeDisk, DISK_SAMPLE_MS } from './compose-disk'
import { composeHealth } from './compose-health'
import { composeResume } from './compose-resume'
import type { Composition, Infrastructure, Lifecycle } from './composition-types'
import { withStorageFailures } from './storage-failures'

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

  const { disk, thresholds: diskThresholds } = composeDisk(infra, lifecycles)

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
    processor: taskProcessorChain({
      model: infra.taskProcessor ?? models.router,
      judged: (processor) => (infra.taskProcessor ? processor : validation.wrap(processor)),
      // Called only once the pool runs, after the tasks capability exists.
      tasks: { create: (task) => tasks.queue.create(task) },
      traces,
      config,
      db,
      reader,
      log
    }),
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
    startLexicalWorker: lexicalWorkerStarter(__dirname),
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
  for (const stop of traceTasksAndRequests({ traces, router: models.router, events, config, reader }))
    lifecycles.push({ stop })

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

  const { learning, stop: stopLearnedNotes } = composeLearning({ db, reader, actor, config, log, engine: tasks.engine })
  lifecycles.push({ stop: stopLearnedNotes })
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

  const health = composeHealth({
    sources: [
      models.health,
      { component: 'supervisor', report: () => supervisor.health() },
      databaseHealth(db),
      { component: 'disk', report: () => disk.health() },
      workerHealth(tasks.engine),
      { component: 'predictive-monitor', report: () => predictive.health() },
      knowledgeHealth(knowledge.service),
      chat.health
    ],
    events,
    predictive,
    disk,
    engineState: () => tasks.engine.state()
  })
  models.registry.onChange(() => {
    // A scan may have found the embedding model (pulled, or a node added): look at once, not at the next retry.
    knowledge.worker?.kick()
    void health.check()
    void supervisor.recheck()
  })
  lifecycles.push({ stop: () => health.stop() })

  if (background)
    lifecycles.push(startHousekeeping({ logFile: infra.logFile, exportsDir: infra.exportsDir, config, log }))

  // The checklist reads every other capability, so it is built last.
  const checklist = composeChecklist({ infra, reader, actor, predictive, disk, diskThresholds, supervisor })
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

  const resume = composeResume({ log, background, supervisor, models, tasks, lifecycles })

  const handlers: Handlers = withStorageFailures(
    {
      ...appHandlers(infra.info, () => config.get('host.rateLimit.workPerMinute')),
      ...systemHandlers(resume),
      ...configHandlers(config),
      ...secretsHandlers(secrets),
      ...tasks.handlers,
      'tasks.create': taskCreate(tasks.handlers['tasks.create'], reader),
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
      ...reviewHandlers(reader, (ids, reassign) => tasks.engine.requeue(ids, reassign))
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
