import { describe, expect, it } from 'vitest'
import type { CallOutput } from '../../../shared/contract/contract'
import { answeringClient, type Answers } from '../../test-support/answering-client'
import { TASK_ERROR_TYPES, type TaskErrorType } from '../../../shared/contract/tasks-contract'
import { capabilityChecks } from './capability-checks'
import type { NodeView } from '../../../shared/contract/models-contract'
import { nodeView } from '../../test-support/node-view'

const NOW = new Date('2026-11-24T12:00:00.000Z')

function checksAnswering(answers: Answers) {
  const { client } = answeringClient(answers)
  const checks = Object.fromEntries(
    capabilityChecks({ client, stuckMinutes: () => 15, now: () => NOW }).map((c) => [c.id, c])
  )
  return (id: string) => Promise.resolve(checks[id]!.run(new AbortController().signal))
}

const node = (over: Partial<NodeView> = {}): NodeView =>
  nodeView('ollama-local', [{ name: 'qwen2.5:7b', sizeBytes: 4e9, loaded: true }], {
    url: 'http://localhost:11434',
    label: 'Ollama (this Mac)',
    latencyMs: 12,
    scannedAt: NOW.toISOString(),
    ...over
  })

const processStatus = (
  over: Partial<CallOutput<'supervisor.list'>[number]> = {}
): CallOutput<'supervisor.list'>[number] => ({
  id: 'ollama',
  label: 'Ollama',
  command: 'ollama serve',
  mode: 'manage',
  state: 'running',
  installed: true,
  pid: 4242,
  restartsLastHour: 0,
  reason: null,
  warning: null,
  lastFailure: null,
  lastExit: null,
  logTail: [],
  logFile: '/d/logs/ollama.log',
  ...over
})

const overview = (nodes: CallOutput<'models.list'>['nodes']) => () => ({
  nodes,
  speeds: [],
  preferences: [],
  categories: []
})

describe('capability checks', () => {
  it('pass with a reachable node that lists models, and fail when it is down', async () => {
    const ok = checksAnswering({ 'models.scan': overview([node()]), 'supervisor.list': () => [processStatus()] })
    expect(await ok('models.nodes-reachable')).toEqual({
      status: 'pass',
      evidence: 'Ollama (this Mac): 1 models, 12 ms'
    })
    const down = checksAnswering({
      'models.scan': overview([node({ state: 'down', error: 'connect ECONNREFUSED 127.0.0.1:11434' })]),
      'supervisor.list': () => []
    })
    expect(await down('models.nodes-reachable')).toEqual({
      status: 'fail',
      evidence: 'Ollama (this Mac) (http://localhost:11434) is down: connect ECONNREFUSED 127.0.0.1:11434'
    })
  })

  it('pass with a note for a server nobody set up, instead of warning about it forever', async () => {
    const mlx = node({
      id: 'mlx-local',
      kind: 'openai',
      label: 'MLX on this Mac',
      url: 'http://localhost:11435',
      state: 'not_configured',
      models: [],
      error: 'Not set up: nothing answers at http://localhost:11435.'
    })
    const run = checksAnswering({ 'models.scan': overview([node(), mlx]), 'supervisor.list': () => [processStatus()] })
    expect(await run('models.nodes-reachable')).toEqual({
      status: 'pass',
      evidence: 'Ollama (this Mac): 1 models, 12 ms; MLX on this Mac: not set up'
    })
    const alone = checksAnswering({ 'models.scan': overview([mlx]), 'supervisor.list': () => [] })
    expect(await alone('models.nodes-reachable')).toEqual({
      status: 'fail',
      evidence: 'no model server is set up: MLX on this Mac: nothing at http://localhost:11435'
    })
  })

  it('explain an empty model list from a server started as another user', async () => {
    const run = checksAnswering({
      'models.scan': overview([node({ models: [] })]),
      'supervisor.list': () => [
        processStatus({ warning: 'Ollama lists no models but 3 are on disk: it was started as another user' })
      ]
    })
    const outcome = await run('models.nodes-reachable')
    expect(outcome.status).toBe('fail')
    expect(outcome.evidence).toContain('started as another user')
  })

  it('fail when a supervised server needs attention after too many restarts', async () => {
    const run = checksAnswering({
      'supervisor.list': () => [
        processStatus({ state: 'needs_attention', restartsLastHour: 5, reason: '5 restarts in an hour' })
      ]
    })
    expect(await run('models.supervisor-restarts')).toEqual({
      status: 'fail',
      evidence: 'Ollama: needs_attention, 5 restarts in the last hour (5 restarts in an hour)'
    })
  })

  it('fail when the embedding model’s dimension differs from the collection’s', async () => {
    const stats = (embedding: CallOutput<'knowledge.stats'>['embedding']) => () => ({
      nodes: 3,
      chunks: 10,
      embeddedChunks: 10,
      embeddedPercent: 100,
      bytesOnDisk: 1000,
      collection: { modelId: 'ollama:nomic-embed-text', dimension: 768, createdAt: NOW.toISOString() },
      embedding,
      domains: [],
      responseCacheEntries: 0
    })
    const mismatch = checksAnswering({
      'knowledge.stats': stats({
        state: 'model_changed',
        active: { id: 'ollama:nomic-embed-text', dimension: 768 },
        current: { id: 'ollama:all-minilm', dimension: 384 }
      })
    })
    expect(await mismatch('knowledge.embedding-dimension')).toEqual({
      status: 'fail',
      evidence: 'model gives 384 dims (ollama:all-minilm), collection ollama:nomic-embed-text (768 dims)'
    })
    const same = checksAnswering({
      'knowledge.stats': stats({ state: 'idle', model: { id: 'ollama:nomic-embed-text', dimension: 768 } })
    })
    expect((await same('knowledge.embedding-dimension')).status).toBe('pass')
  })

  it('fail on a task whose heartbeat is older than the stuck threshold', async () => {
    const summary = {
      title: 't',
      domain: null,
      priority: 'normal',
      assigneeExpert: null,
      status: 'in_progress',
      attemptCount: 1,
      lastError: null,
      errorType: null,
      backend: null,
      model: null,
      nextRetryAfter: null,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString()
    } as const
    const beats: Record<string, string> = {
      fresh: new Date(NOW.getTime() - 60_000).toISOString(),
      stale: new Date(NOW.getTime() - 20 * 60_000).toISOString()
    }
    const run = checksAnswering({
      'tasks.list': () => ({
        tasks: [
          { id: 'fresh', ...summary },
          { id: 'stale', ...summary }
        ],
        total: 2,
        nextCursor: null,
        facets: { experts: [], domains: [], backends: [] }
      }),
      'tasks.get': (input) => {
        const id = (input as { id: string }).id
        return {
          task: { id, ...summary, heartbeatAt: beats[id] ?? null } as CallOutput<'tasks.get'>['task'],
          events: [],
          subtasks: []
        }
      }
    })
    expect(await run('worker.no-stuck-tasks')).toEqual({
      status: 'fail',
      evidence: '2 in progress, 1 without a heartbeat for over 15 min: stale'
    })
  })

  it('warn with the queue size and its top error types while tasks wait for review', async () => {
    const run = checksAnswering({
      'tasks.counters': () => ({
        byStatus: { pending: 0, in_progress: 0, completed: 5, failed: 0, deferred_to_human: 4, cancelled: 0 },
        deferredToHumanTotal: 6,
        deferredByErrorType: {
          ...Object.fromEntries(TASK_ERROR_TYPES.map((t) => [t, 0])),
          timeout: 3,
          empty_or_short_response: 1,
          connection_error: 2
        } as Record<TaskErrorType, number>,
        completionsPerMinute: 1,
        latency: []
      })
    })
    expect(await run('worker.manual-review')).toEqual({
      status: 'warn',
      evidence: '4 waiting; top error types: timeout 3, connection_error 2, empty_or_short_response 1'
    })
  })

  it('warn when chat fallbacks exceed their threshold', async () => {
    const usage = (ratio: number | null) => () => ({
      days: 1,
      byDay: [],
      bySession: [],
      byExpert: [],
      budget: { period: 'day' as const, start: '2026-03-10', budget: 0, used: 0, exceeded: false, alertedAt: null },
      counters: { expertAnswers: 7, fallbacks: 3, answers24h: 12, fallbackRatio24h: ratio, threshold: 0.3 }
    })
    expect(await checksAnswering({ 'chat.usage': usage(0.42) })('chat.fallback-ratio')).toEqual({
      status: 'warn',
      evidence: '42% of 12 chat answers in the last 24 h fell back to another model (threshold 30%)'
    })
    expect((await checksAnswering({ 'chat.usage': usage(0.1) })('chat.fallback-ratio')).status).toBe('pass')
  })

  it('let a refused read surface as the check’s error', async () => {
    await expect(checksAnswering({})('worker.manual-review')).rejects.toThrow('tasks.counters refused')
  })
})
