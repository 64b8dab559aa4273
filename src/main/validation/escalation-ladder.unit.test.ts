import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BoardDecision } from '../../shared/contract/board-contract'
import type { Task, TaskEvent } from '../../shared/contract/tasks-contract'
import { migratedDb, recordedDecisions } from '../approvals/testing/approvals-db'
import type { ConsultRequest, ConsultResult } from '../board/board-service'
import { capturedLog } from '../board/testing/test-core'
import type { ProcessingPlan, TaskForProcessing, TaskProcessor } from '../ports/task-processor'
import { useTempDirs } from '../test-support/temp-dir'
import { createEscalationLadder, type LadderTasks } from './escalation-ladder'
import { createEscalationStore } from './escalation-store'

const tempDir = useTempDirs()

const task = (status: Task['status']): Task => ({
  id: 't1',
  title: 'Plan the migration',
  description: 'Plan the migration of the orders database.',
  domain: null,
  priority: 'normal',
  assigneeExpert: null,
  status,
  attemptCount: 3,
  lastError: 'too short',
  errorType: 'empty_or_short_response',
  backend: 'ollama-local',
  model: 'small:1b',
  nextRetryAfter: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  parentTaskId: null,
  preferredBackend: null,
  preferredModel: null,
  leaseOwner: null,
  heartbeatAt: null,
  result: null,
  metadata: { correlationId: 'cor-1' },
  batchGroup: null,
  completedAt: null,
  latencyMs: null
})

const deferred: TaskEvent = {
  seq: 9,
  taskId: 't1',
  kind: 'deferred',
  status: 'deferred_to_human',
  attempt: 3,
  message: 'after 3 attempts',
  errorType: 'empty_or_short_response',
  at: '2026-12-01T10:00:00.000Z'
}

function fakeTasks(status: Task['status'] = 'deferred_to_human') {
  let listener: ((events: readonly TaskEvent[]) => void) | null = null
  const requeued: string[] = []
  const tasks: LadderTasks = {
    onEvents: (l) => ((listener = l), () => (listener = null)),
    get: () => task(status),
    events: () => [{ ...deferred, seq: 5, kind: 'failed', message: 'the answer was too short' }],
    requeue: async (ids) => (requeued.push(...ids), [...ids])
  }
  return { tasks, requeued, emit: (events: TaskEvent[]) => listener?.(events) }
}

function decision(text: string): BoardDecision {
  return {
    id: 'dec-1',
    question: 'q',
    decision: text,
    outcome: 'approved',
    tally: { for: 3, against: 0, abstain: 1 },
    source: 'task',
    sessionId: null,
    messageId: null,
    taskId: 't1',
    createdAt: '2026-12-01T10:01:00.000Z',
    rationale: 'The instruction was too vague.',
    risks: [],
    positions: [],
    chairName: 'Chair',
    userId: 'u',
    correlationId: 'cor-1'
  }
}

const recordingProcessor = () => {
  const seen: TaskForProcessing[] = []
  const plan: ProcessingPlan = { backend: 'ollama-local', model: 'm', heavy: false }
  const processor: TaskProcessor = {
    plan: (t) => (seen.push(t), plan),
    ensureReady: async () => undefined,
    process: async (t) => (seen.push(t), 'answer'),
    load: () => []
  }
  return { processor, seen }
}

describe('escalation ladder', () => {
  it('takes up a consultation a restart cut short, and runs the task with the board’s revised instruction', async () => {
    const file = join(tempDir(), 'kos.db')
    const before = createEscalationStore(migratedDb(file))
    expect(before.open('t1', 1, 'small:1b')).toBe(true)

    // The app restarts with the round still open: the board is asked again.
    const db = migratedDb(file)
    const { log } = capturedLog()
    const decisions = recordedDecisions()
    const ladder = createEscalationLadder({
      store: createEscalationStore(db),
      rounds: () => 1,
      decisions: () => decisions,
      log
    })
    const asked: ConsultRequest[] = []
    const { tasks, requeued } = fakeTasks()
    ladder.start({
      tasks,
      board: {
        consult: async (request): Promise<ConsultResult> => (
          asked.push(request),
          { ok: true, decision: decision('CHANGE_APPROACH: List the five largest tables first, then plan each move.') }
        )
      },
      models: () => [{ node: 'ollama-local', model: 'big:7b' }]
    })
    await ladder.settled()
    expect(asked).toHaveLength(1)
    expect(asked[0]?.question).toContain('- attempt 3: empty_or_short_response: the answer was too short')
    expect(asked[0]).toMatchObject({ source: 'task', taskId: 't1', correlationId: 'cor-1' })
    expect(requeued).toEqual(['t1'])
    expect(ladder.ofTask('t1')).toEqual([
      expect.objectContaining({
        state: 'change_approach',
        instruction: 'List the five largest tables first, then plan each move.',
        decisionId: 'dec-1'
      })
    ])
    expect(decisions.rows).toEqual([
      expect.objectContaining({ kind: 'escalation', role: 'board', decision: 'change_approach', taskId: 't1' })
    ])
    const { processor, seen } = recordingProcessor()
    const wrapped = ladder.wrap(processor)
    wrapped.plan({ ...task('pending'), correlationId: 'cor-1' } as unknown as TaskForProcessing)
    expect(seen[0]?.description).toBe('List the five largest tables first, then plan each move.')
    await ladder.stop()
  })

  it('records a board that cannot meet and leaves the task in review; asks no more than the rounds allow', async () => {
    const { log } = capturedLog()
    const ladder = createEscalationLadder({
      store: createEscalationStore(migratedDb()),
      rounds: () => 1,
      decisions: () => null,
      log
    })
    let asked = 0
    const { tasks, requeued, emit } = fakeTasks()
    ladder.start({
      tasks,
      board: {
        consult: async (): Promise<ConsultResult> => (
          asked++,
          { ok: false, reason: 'unavailable', message: 'no model backend is connected, so the board cannot meet' }
        )
      },
      models: () => []
    })
    emit([deferred])
    emit([deferred])
    await ladder.settled()
    emit([{ ...deferred, seq: 20 }])
    await ladder.settled()
    expect(asked).toBe(1)
    expect(requeued).toEqual([])
    expect(ladder.ofTask('t1')).toEqual([
      expect.objectContaining({
        round: 1,
        state: 'board_unavailable',
        boardView:
          'The board could not meet: no model backend is connected, so the board cannot meet. The task stays in manual review.'
      })
    ])
    await ladder.stop()
  })

  it('gives up when the board says retry but no other model is there', async () => {
    const { log } = capturedLog()
    const ladder = createEscalationLadder({
      store: createEscalationStore(migratedDb()),
      rounds: () => 2,
      decisions: () => null,
      log
    })
    const { tasks, requeued, emit } = fakeTasks()
    ladder.start({
      tasks,
      board: {
        consult: async (): Promise<ConsultResult> => ({ ok: true, decision: decision('RETRY_OTHER_MODEL big:7b') })
      },
      models: () => [{ node: 'ollama-local', model: 'small:1b' }]
    })
    emit([deferred])
    await ladder.settled()
    expect(requeued).toEqual([])
    expect(ladder.ofTask('t1')[0]).toMatchObject({ state: 'give_up', nextModel: null })
    expect(ladder.ofTask('t1')[0]?.boardView).toMatch(/No other model is available to retry on/)
    await ladder.stop()
  })
})
