import { describe, expect, it } from 'vitest'
import type { Db } from '../db/database'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { createTaskStore } from '../tasks/task-store'
import { migratedDb } from '../tasks/testing/test-engine'
import { createGapSource } from './learning-gaps'
import { createSearchMisses } from './search-misses'
import { storeFiler } from './testing/store-filer'
import { createLearningGenerator, type LearningExpert, type LearningSettings } from './learning-generator'

const HOUR = 60 * 60 * 1000
const EXPERTS: LearningExpert[] = [
  { id: 'victoria', name: 'Victoria', domains: ['general'], lead: true },
  { id: 'analyst', name: 'Ana', domains: ['finance'], lead: false },
  { id: 'coder', name: 'Kai', domains: ['coding'], lead: false }
]

function chatAnswer(db: Db, n: number, expert: string, question: string, at: number, sources = '[]'): void {
  const iso = new Date(at).toISOString()
  db.prepare('INSERT OR IGNORE INTO chat_sessions (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
    's',
    'Session',
    iso,
    iso
  )
  const insert =
    db.prepare(`INSERT INTO chat_messages (id, session_id, seq, role, content, status, expert_id, correlation_id, sources, reply_to, created_at, updated_at)
    VALUES (?, 's', ?, ?, ?, 'complete', ?, 'c', ?, ?, ?, ?)`)
  insert.run(`q${n}`, n * 2, 'user', question, null, '[]', null, iso, iso)
  insert.run(`a${n}`, n * 2 + 1, 'assistant', 'An answer.', expert, sources, `q${n}`, iso, iso)
}

describe('learning-task generator', () => {
  const tempDir = useTempDirs()

  function setup(options: { down?: string | null; settings?: Partial<LearningSettings> } = {}) {
    const clock = { t: Date.parse('2026-04-01T09:00:00Z') }
    const db = migratedDb(tempDir())
    const store = createTaskStore(db, () => clock.t)
    const file = storeFiler(store)
    let down = options.down ?? null
    const { logger, records } = memoryLogger()
    const generator = createLearningGenerator({
      gaps: createGapSource(db),
      experts: async () => EXPERTS,
      modelsDown: async () => down,
      file,
      // No learning task completes in these tests; learning-results.test.ts files what one learned.
      fileLearned: async () => undefined,
      settings: () => ({ enabled: true, perExpertPerDay: 2, ...options.settings }),
      now: () => clock.t,
      log: logger
    })
    const learning = () =>
      db
        .prepare(
          "SELECT assignee_expert AS expert, title, description FROM tasks WHERE json_extract(metadata, '$.source') = 'learning' ORDER BY created_at"
        )
        .all() as { expert: string; title: string; description: string }[]
    // A document in every expert's domain, so only the gaps a test adds show up.
    for (const domain of ['finance', 'coding', 'general']) {
      db.prepare(
        "INSERT INTO knowledge_nodes (id, title, content, domain, content_hash, created_at, updated_at) VALUES (?, ?, 'text', ?, 'h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
      ).run(domain, domain, domain)
    }
    return { clock, db, generator, learning, records, setDown: (reason: string | null) => (down = reason) }
  }

  it('files a research task for a chat question its expert answered without any knowledge source, and none for one backed by a source', async () => {
    const { clock, db, generator, learning } = setup()
    chatAnswer(db, 1, 'analyst', 'How does IFRS 16 treat short leases?', clock.t - HOUR)
    chatAnswer(db, 2, 'analyst', 'What is EBITDA?', clock.t - HOUR, '[{"nodeId":"finance"}]')
    const outcome = await generator.run()
    expect(outcome).toMatchObject({ state: 'ran', duplicates: 0 })
    expect(learning()).toEqual([
      {
        expert: 'analyst',
        title: 'Research: How does IFRS 16 treat short leases?',
        description: expect.stringContaining('without any knowledge-base source')
      }
    ])
  })

  it('files for searches that found nothing: to the expert of the filtered domain, or of the domain the query names', async () => {
    const { clock, db, generator, learning } = setup()
    const misses = createSearchMisses(db, () => clock.t - HOUR)
    misses.record('Covenant headroom under IFRS 16', 'finance')
    misses.record('coding standards for the billing service', null)
    misses.record('where is the lunch menu', null)
    expect(await generator.run()).toMatchObject({ state: 'ran', duplicates: 0 })
    expect(learning()).toEqual([
      {
        expert: 'coder',
        title: 'Research: coding standards for the billing service',
        description: expect.stringContaining('A search of the knowledge base for "coding standards')
      },
      {
        expert: 'analyst',
        title: 'Research: Covenant headroom under IFRS 16',
        description: expect.stringContaining(
          'in the domain "finance" for "Covenant headroom under IFRS 16" found nothing'
        )
      }
    ])
  })

  it('files for answers rejected by validation and for a domain with no documents, never for the lead agent', async () => {
    const { clock, db, generator, learning } = setup()
    db.prepare("DELETE FROM knowledge_nodes WHERE domain IN ('coding', 'general')").run()
    const store = createTaskStore(db, () => clock.t)
    const created = store.create({
      title: 'Price the bond',
      description: 'Price the 5-year bond at 4%.',
      domain: 'finance',
      priority: 'normal',
      assigneeExpert: 'analyst',
      parentTaskId: null,
      preferredBackend: null,
      preferredModel: null,
      metadata: {},
      batchGroup: null,
      dedupKey: 'k1'
    })
    if (!created.ok) throw new Error('not created')
    db.prepare("UPDATE tasks SET status = 'deferred_to_human', error_type = 'validation_failed' WHERE id = ?").run(
      created.task.id
    )
    await generator.run()
    expect(
      learning()
        .map((t) => [t.expert, t.title])
        .sort()
    ).toEqual([
      ['analyst', 'Research: what a good answer to "Price the bond" needs'],
      ['coder', 'Research: foundations of coding']
    ])
  })

  it('files at most N a day per expert, and more once 24 hours have passed', async () => {
    const { clock, db, generator, learning } = setup()
    for (let i = 0; i < 5; i++) chatAnswer(db, i, 'analyst', `Question number ${i} about leases?`, clock.t - HOUR)
    expect(await generator.run()).toMatchObject({ state: 'ran', capped: 3 })
    expect(learning()).toHaveLength(2)
    clock.t += 12 * HOUR
    expect(await generator.run()).toMatchObject({ state: 'ran', filed: [] })
    clock.t += 12 * HOUR + 1
    await generator.run()
    expect(learning()).toHaveLength(4)
  })

  it('does not file the same research task for the same expert again within 30 days, and logs the skip', async () => {
    const { clock, db, generator, learning, records } = setup({ settings: { perExpertPerDay: 10 } })
    chatAnswer(db, 1, 'analyst', 'How does IFRS 16 treat short leases?', clock.t - HOUR)
    await generator.run()
    clock.t += 2 * 24 * HOUR
    chatAnswer(db, 2, 'analyst', 'How does IFRS 16 treat   short leases?', clock.t - HOUR)
    // Both answers are within the week a run looks back over; each is refused as the same task.
    expect(await generator.run()).toMatchObject({ state: 'ran', filed: [], duplicates: 2 })
    expect(records.some((r) => r.msg.includes('same research task for this expert in the last 30 days'))).toBe(true)
    clock.t += 29 * 24 * HOUR
    chatAnswer(db, 3, 'analyst', 'How does IFRS 16 treat short leases?', clock.t - HOUR)
    await generator.run()
    expect(learning()).toHaveLength(2)
  })

  it('files nothing and logs why while the model servers are down, then files once one is back', async () => {
    const { clock, db, generator, learning, records, setDown } = setup({ down: 'Ollama on this Mac is unreachable' })
    chatAnswer(db, 1, 'coder', 'Why does my Rust borrow fail?', clock.t - HOUR)
    expect(await generator.run()).toEqual({ state: 'skipped', reason: 'Ollama on this Mac is unreachable' })
    expect(learning()).toEqual([])
    expect(records.find((r) => r.msg.startsWith('learning tasks skipped'))).toMatchObject({
      reason: 'Ollama on this Mac is unreachable'
    })
    setDown(null)
    await generator.run()
    expect(learning()).toHaveLength(1)
  })

  it('does nothing when switched off in Settings', async () => {
    const { clock, db, generator, learning } = setup({ settings: { enabled: false } })
    chatAnswer(db, 1, 'coder', 'Why does my Rust borrow fail?', clock.t - HOUR)
    expect(await generator.run()).toEqual({ state: 'off' })
    expect(learning()).toEqual([])
  })
})
