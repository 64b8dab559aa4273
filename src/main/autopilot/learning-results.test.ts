import { describe, expect, it } from 'vitest'
import type { TaskEvent } from '../../shared/contract/tasks-contract'
import { useKnowledgeKits } from '../knowledge/test-support/test-kit'
import { memoryLogger } from '../test-support/memory-logger'
import { createTaskStore } from '../tasks/task-store'
import { createGapSource } from './learning-gaps'
import { createLearningGenerator, type LearningExpert } from './learning-generator'
import { createLearningResults, learnedSource } from './learning-results'
import { storeFiler } from './testing/store-filer'

const DAY = 24 * 60 * 60 * 1000
const EXPERTS: LearningExpert[] = [
  { id: 'lead', name: 'Victoria', domains: ['general'], lead: true },
  { id: 'coder', name: 'Kai', domains: ['coding'], lead: false },
  { id: 'analyst', name: 'Ana', domains: ['business'], lead: false }
]
const NOTE =
  'Foundations: a reference note. Version control keeps every change; code review catches defects early; tests pin behaviour so a refactor stays safe.'

describe('learning results', () => {
  const kit = useKnowledgeKits()

  /** The generator and the filer on one database with a real task store and knowledge base, on a fake clock. */
  function setup() {
    const k = kit()
    const clock = { t: Date.parse('2026-04-01T09:00:00Z') }
    const store = createTaskStore(k.db, () => clock.t)
    const { logger, records } = memoryLogger()
    const results = createLearningResults({
      task: async (id) => {
        const task = store.get(id)
        if (!task) return null
        return {
          ...task,
          expert: task.assigneeExpert,
          source: task.metadata.source,
          gap: task.metadata.gap,
          finishedAt: task.updatedAt
        }
      },
      validationFailure: async (id) =>
        (
          k.db
            .prepare(
              "SELECT reasons FROM validations WHERE task_id = ? AND outcome = 'failed' ORDER BY id DESC LIMIT 1"
            )
            .get(id) as { reasons: string } | undefined
        )?.reasons ?? null,
      filedFrom: async (source) =>
        (k.db.prepare('SELECT id FROM knowledge_nodes WHERE source = ?').get(source) as { id: string } | undefined)
          ?.id ?? null,
      file: async (doc) => (await k.knowledge.service.addText(doc)).id,
      expertName: async (id) => EXPERTS.find((e) => e.id === id)?.name ?? id,
      minAnswerChars: () => 20,
      log: logger
    })
    const generator = createLearningGenerator({
      gaps: createGapSource(k.db),
      experts: async () => EXPERTS,
      modelsDown: async () => null,
      file: storeFiler(store, (id) => results.watch(id)),
      fileLearned: (id) => results.completed(id),
      settings: () => ({ enabled: true, perExpertPerDay: 5 }),
      now: () => clock.t,
      log: logger
    })
    const answer = (id: string, result: string) =>
      k.db
        .prepare("UPDATE tasks SET status = 'completed', result = ?, updated_at = ? WHERE id = ?")
        .run(result, clock.t, id)
    const completedEvent = (taskId: string): TaskEvent => ({
      seq: 1,
      taskId,
      kind: 'completed',
      status: 'completed',
      attempt: 1,
      message: null,
      errorType: null,
      at: new Date(clock.t).toISOString()
    })
    const domainCount = (domain: string) =>
      (k.db.prepare('SELECT count(*) AS n FROM knowledge_nodes WHERE domain = ?').get(domain) as { n: number }).n
    return { k, clock, store, results, generator, answer, completedEvent, domainCount, records }
  }

  it('files a completed learning task into the knowledge base, and the gap it closes is not filed again, even after the 30-day dedup', async () => {
    const { k, clock, store, results, generator, answer, completedEvent, domainCount } = setup()
    const first = await generator.run()
    if (first.state !== 'ran') throw new Error('expected a run')
    expect(first.filed.map((f) => f.title).sort()).toEqual([
      'Research: foundations of business',
      'Research: foundations of coding'
    ])
    const coding = first.filed.find((f) => f.expert === 'coder')!.id
    answer(coding, NOTE)
    expect(domainCount('coding')).toBe(0)
    results.taskEvents([completedEvent(coding)])
    // The event started the filing; asking for the same task joins it rather than filing twice.
    expect(await results.completed(coding)).toMatchObject({ state: 'filed' })
    expect(domainCount('coding')).toBe(1)

    const note = k.knowledge.service.get(
      (k.db.prepare('SELECT id FROM knowledge_nodes WHERE source = ?').get(learnedSource(coding)) as { id: string }).id
    )
    expect(note).toMatchObject({ title: 'Foundations of coding', domain: 'coding', source: learnedSource(coding) })
    expect(note.content).toContain(NOTE)
    expect(note.content).toContain(
      `Learned by Kai (expert "coder") in research task ${coding}, ${store.get(coding)!.updatedAt}. Domain: coding. Closes a domain of the expert with no document in the knowledge base: foundations of coding.`
    )
    // A second completion (a restart's sweep, a duplicate event) files nothing twice.
    expect(await results.completed(coding)).toEqual({ state: 'already_filed', nodeId: note.id })

    clock.t += 31 * DAY
    const later = await generator.run()
    expect(later).toMatchObject({ state: 'ran', duplicates: 0 })
    if (later.state !== 'ran') throw new Error('expected a run')
    // Business learned nothing: its gap is still open and asked again once the dedup window has passed; coding's is closed.
    expect(later.filed.map((f) => f.title)).toEqual(['Research: foundations of business'])
  })

  it('closes a question gap too: the research task for a chat question answered without sources is not filed again once learned', async () => {
    const { k, clock, results, generator, answer } = setup()
    const iso = new Date(clock.t - 60_000).toISOString()
    k.db.prepare("INSERT INTO chat_sessions (id, title, created_at, updated_at) VALUES ('s', 'S', ?, ?)").run(iso, iso)
    const insert = k.db
      .prepare(`INSERT INTO chat_messages (id, session_id, seq, role, content, status, expert_id, correlation_id, sources, reply_to, created_at, updated_at)
      VALUES (?, 's', ?, ?, ?, 'complete', ?, 'c', '[]', ?, ?, ?)`)
    insert.run('q1', 1, 'user', 'How do we version our APIs?', null, null, iso, iso)
    insert.run('a1', 2, 'assistant', 'An answer.', 'coder', 'q1', iso, iso)
    const first = await generator.run()
    if (first.state !== 'ran') throw new Error('expected a run')
    const question = first.filed.find((f) => f.title === 'Research: How do we version our APIs?')!.id
    answer(question, `${NOTE} APIs are versioned in the URL path.`)
    expect(await results.completed(question)).toMatchObject({ state: 'filed' })
    // Learned, the question is skipped as closed; only the business task, still pending, is a duplicate.
    expect(await generator.run()).toMatchObject({ state: 'ran', filed: [], learned: 1, duplicates: 1 })
  })

  it('does not file an empty answer, an echo of the task, or one the validator rejected; the gap stays open', async () => {
    const { k, store, results, generator, answer, domainCount, records } = setup()
    const first = await generator.run()
    if (first.state !== 'ran') throw new Error('expected a run')
    const [a, b] = first.filed.map((f) => f.id) as [string, string]
    answer(a, '   ')
    expect(await results.completed(a)).toEqual({ state: 'not_filed', reason: 'the answer was empty' })
    answer(a, store.get(a)!.description)
    expect(await results.completed(a)).toEqual({
      state: 'not_filed',
      reason: 'the answer repeats the prompt instead of answering it'
    })
    answer(b, NOTE)
    k.db
      .prepare(
        "INSERT INTO validations (task_id, kind, outcome, score, reasons, model, at) VALUES (?, 'rubric', 'failed', 0.2, 'cites nothing', 'judge', 1)"
      )
      .run(b)
    expect(await results.completed(b)).toEqual({
      state: 'not_filed',
      reason: 'the validator rejected it: cites nothing'
    })
    expect(domainCount('coding') + domainCount('business')).toBe(0)
    expect(records.filter((r) => r.msg === 'learning result not filed')).toHaveLength(3)
    // A task still running, or one that is no learning task, is left alone.
    const other = store.create({
      title: 'Write the memo',
      description: 'Write the launch memo for the team.',
      domain: null,
      priority: 'normal',
      assigneeExpert: 'coder',
      parentTaskId: null,
      preferredBackend: null,
      preferredModel: null,
      metadata: {},
      batchGroup: null,
      dedupKey: 'memo'
    })
    if (!other.ok) throw new Error('not created')
    answer(other.task.id, NOTE)
    expect(await results.completed(other.task.id)).toEqual({ state: 'not_learning' })
  })

  it('files, on the next generator run, a learning task that completed while nobody watched it (a restart)', async () => {
    const { clock, results, generator, answer, domainCount } = setup()
    const first = await generator.run()
    if (first.state !== 'ran') throw new Error('expected a run')
    for (const f of first.filed) answer(f.id, NOTE)
    // Not told of the completions: the events went to a process that has since stopped.
    expect(domainCount('coding')).toBe(0)
    clock.t += 60_000
    expect(await generator.run()).toMatchObject({ state: 'ran', filed: [], duplicates: 0 })
    expect(domainCount('coding')).toBe(1)
    expect(domainCount('business')).toBe(1)
    expect(await results.completed(first.filed[0]!.id)).toMatchObject({ state: 'already_filed' })
  })
})
