import { afterEach, describe, expect, it } from 'vitest'
import type { Task, TaskDetail } from '../../shared/contract/tasks-contract'
import type { Core } from './start-core'
import { startFakeOllama, type FakeOllama } from '../models/testing/fake-ollama-server'
import type { FakeRule } from '../models/testing/fake-script'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }
const MODEL = 'llama3.2:3b'

const SPLIT: FakeRule = {
  whenPromptContains: 'Split the user’s request into 2 to 6 subtasks',
  behaviour: {
    kind: 'reply',
    text: '1. Market size — estimate the market for the product\n2. Competitors — list the main competitors\n3. Pricing — propose a price'
  }
}
const SYNTHESIS: FakeRule = {
  whenPromptContains: 'Synthesis:',
  behaviour: {
    kind: 'compute',
    answer: (prompt) =>
      `Launch plan combining: ${[...prompt.matchAll(/^### \d+\. (.*)$/gm)].map((m) => m[1]).join(', ')}.`
  }
}
const WORK: FakeRule = {
  whenPromptContains: '',
  behaviour: { kind: 'compute', answer: (prompt) => `Result for ${prompt.split('\n')[0]}: worked out in detail.` }
}

describe('decomposition of queued high/urgent/complex tasks through the lead agent', () => {
  const open: { core: Core | null; fake: FakeOllama | null }[] = []
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.core?.close()
      await o.fake?.close()
    }
  })

  async function start(dir: string, rules: FakeRule[], env: Record<string, string> = {}) {
    const fake = await startFakeOllama({ loaded: [MODEL], rules })
    const core = startTestCore(dir, {
      // The validator is off: its verdict calls would mix with the splits and syntheses counted here.
      env: { KOS_OLLAMA_API_URL: fake.url, KOS_WORKER_RETRY_DELAY_SEC: '0', KOS_VALIDATION_ENABLED: 'false', ...env }
    })
    const slot = { core: core as Core | null, fake: fake as FakeOllama | null }
    open.push(slot)
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const out = await core.dispatcher.call(name as never, input as never, CLI)
      if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
      return out.value as T
    }
    const detail = (id: string) => call<TaskDetail>('tasks.get', { id })
    const children = async (id: string): Promise<Task[]> => {
      const ids = core.db
        .prepare<[string], { id: string }>('SELECT id FROM tasks WHERE parent_task_id = ? ORDER BY created_at, id')
        .all(id)
      return Promise.all(ids.map(async (row) => (await detail(row.id)).task))
    }
    const stop = async () => {
      if (slot.core) await core.close()
      await fake.close()
      slot.core = null
      slot.fake = null
    }
    return { core, fake, call, detail, children, stop }
  }

  it('splits a high-priority task into subtasks with parent_task_id; the parent waits without an attempt and completes with a synthesis of their results', async () => {
    const { call, detail, children, fake } = await start(tempDir(), [SPLIT, SYNTHESIS, WORK])
    const parent = await call<Task>('tasks.create', {
      title: 'Plan the launch of the new product',
      description: 'A launch plan for the product: market, competitors and price.',
      priority: 'high'
    })
    await expect.poll(async () => (await detail(parent.id)).task.status, { timeout: 20_000 }).toBe('completed')
    const subtasks = await children(parent.id)
    expect(subtasks.map((t) => [t.title, t.status, t.priority])).toEqual([
      ['Market size', 'completed', 'high'],
      ['Competitors', 'completed', 'high'],
      ['Pricing', 'completed', 'high']
    ])
    expect(subtasks.map((t) => t.result)).toEqual([
      'Result for Market size: worked out in detail.',
      'Result for Competitors: worked out in detail.',
      'Result for Pricing: worked out in detail.'
    ])
    const { task, events, subtasks: listed } = await detail(parent.id)
    expect(task.result).toBe('Launch plan combining: Market size, Competitors, Pricing.')
    // Its detail lists its subtasks, oldest first, for the panel to open.
    expect(listed).toEqual(subtasks.map((t) => ({ id: t.id, title: t.title, status: 'completed' })))
    // The split took no attempt of its own: only the synthesis run counts.
    expect(task.attemptCount).toBe(1)
    expect(events.map((e) => e.kind)).toContain('waiting')
    expect(events.find((e) => e.kind === 'waiting')?.message).toBe(
      'Waiting for its 3 subtasks: “Market size”, “Competitors”, “Pricing”. It completes with a synthesis of their results.'
    )
    // The lead agent was asked to split it, once.
    expect(fake.requests.filter((r) => r.startsWith('POST /api/chat')).length).toBe(1 + 3 + 1)
  }, 30_000)

  it('runs a normal task as it is, and splits a normal one marked complex', async () => {
    const { call, detail, children } = await start(tempDir(), [SPLIT, SYNTHESIS, WORK])
    const plain = await call<Task>('tasks.create', { title: 'Define EBITDA', description: 'One paragraph, please.' })
    const complex = await call<Task>('tasks.create', {
      title: 'Prepare the board pack',
      description: 'Everything the board needs for the quarter.',
      metadata: { complex: true }
    })
    await expect.poll(async () => (await detail(complex.id)).task.status, { timeout: 20_000 }).toBe('completed')
    expect((await detail(plain.id)).task.result).toBe('Result for Define EBITDA: worked out in detail.')
    expect(await children(plain.id)).toEqual([])
    expect(await children(complex.id)).toHaveLength(3)
  }, 30_000)

  it('keeps the parent waiting with a reason naming the subtask in manual review, and completes it once that subtask is returned and done', async () => {
    let pricingFails = true
    const PRICING: FakeRule = {
      whenPromptContains: 'Pricing',
      behaviour: {
        kind: 'compute',
        answer: () => (pricingFails ? 'n/a' : 'Result for Pricing: a price of 40 EUR a month.')
      }
    }
    const { call, detail, children } = await start(tempDir(), [SPLIT, SYNTHESIS, PRICING, WORK], {
      KOS_WORKER_MAX_ATTEMPTS: '1'
    })
    const parent = await call<Task>('tasks.create', {
      title: 'Plan the launch of the new product',
      description: 'A launch plan for the product: market, competitors and price.',
      priority: 'urgent'
    })
    const reviewReason = async () =>
      (await detail(parent.id)).events.filter((e) => e.kind === 'waiting').at(-1)?.message ?? ''
    await expect.poll(reviewReason, { timeout: 20_000 }).toMatch(/in manual review/)
    expect(await reviewReason()).toMatch(
      /^Waiting: its subtask “Pricing” \(.+\) is in manual review\. Return it to autoprocessing in the Tasks view/
    )
    expect((await detail(parent.id)).task.status).toBe('pending')
    const pricing = (await children(parent.id)).find((t) => t.title === 'Pricing') as Task
    expect(pricing.status).toBe('deferred_to_human')

    pricingFails = false
    await call('tasks.requeue', { ids: [pricing.id] })
    await expect.poll(async () => (await detail(parent.id)).task.status, { timeout: 20_000 }).toBe('completed')
    expect((await detail(parent.id)).task.result).toBe('Launch plan combining: Market size, Competitors, Pricing.')
  }, 40_000)

  it('completes the parent after a restart: the subtasks and the wait are read back from the tasks table', async () => {
    const dir = tempDir()
    let release: () => void = () => undefined
    const held = new Promise<void>((r) => (release = r))
    const SLOW: FakeRule = {
      whenPromptContains: '',
      behaviour: { kind: 'compute', answer: async (p) => (await held, `Result for ${p.split('\n')[0]}: done.`) }
    }
    const first = await start(dir, [SPLIT, SYNTHESIS, SLOW], { KOS_WORKER_SHUTDOWN_DEADLINE_SEC: '0' })
    const parent = await first.call<Task>('tasks.create', {
      title: 'Plan the launch of the new product',
      description: 'A launch plan for the product: market, competitors and price.',
      priority: 'high'
    })
    await expect.poll(async () => (await first.children(parent.id)).length, { timeout: 20_000 }).toBe(3)
    // Stopped while its subtasks are being answered: they are released, to run again on the next start.
    await first.core.close()
    open[0]!.core = null
    release()
    await first.stop()

    const second = await start(dir, [SPLIT, SYNTHESIS, WORK])
    await expect.poll(async () => (await second.detail(parent.id)).task.status, { timeout: 20_000 }).toBe('completed')
    expect((await second.detail(parent.id)).task.result).toBe(
      'Launch plan combining: Market size, Competitors, Pricing.'
    )
    expect(await second.children(parent.id)).toHaveLength(3)
    // Split once, before the restart: the second core asked nobody to split it again.
    expect(second.fake.requests.filter((r) => r.startsWith('POST /api/chat')).length).toBe(3 + 1)
  }, 40_000)
})
