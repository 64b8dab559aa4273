import { describe, expect, it } from 'vitest'
import { createLearningResults, learnedSource } from '../../autopilot/learning-results'
import { startFakeOllama } from '../../models/testing/fake-ollama-server'
import { FULL_SCOPES, inProcessClient } from '../../rpc/in-process-client'
import { memoryLogger } from '../../test-support/memory-logger'
import { startTestCore } from '../../test-support/running-core'
import { useTempDirs } from '../../test-support/temp-dir'
import { learnedNotesThrough, researchFiler } from './research-filer'
import { sreTasksThrough } from './sre-tasks'

describe('autopilot tasks through the queue’s own calls', () => {
  const tempDir = useTempDirs()

  it('files a research task at low priority, and reports the same task for the same expert as a duplicate of the first', async () => {
    const core = startTestCore(tempDir())
    try {
      const file = researchFiler(
        inProcessClient({ dispatcher: () => core.dispatcher, events: core.events }, { scopes: FULL_SCOPES })
      )
      const task = {
        title: 'Research: foundations of coding',
        description: 'Kai covers the domain "coding" and the knowledge base holds nothing in it.',
        domain: 'coding',
        assigneeExpert: 'coder',
        metadata: { source: 'learning' }
      }
      const first = await file(task)
      if (!first.filed) throw new Error('not filed')
      expect(await file(task)).toEqual({ filed: false, duplicateOf: first.id })
      expect(await file({ ...task, assigneeExpert: 'analyst' })).toMatchObject({ filed: true })
    } finally {
      await core.close()
    }
  })

  it('files the SRE task as urgent for the SRE expert and closes it; closing a finished one is not an error', async () => {
    const core = startTestCore(tempDir())
    try {
      const client = inProcessClient(
        { dispatcher: () => core.dispatcher, events: core.events },
        { scopes: FULL_SCOPES }
      )
      const sre = sreTasksThrough(client, core.log)
      const id = await sre.file({
        title: 'SRE: task queue at risk (6 stalled running)',
        description: 'The predictive monitor found 6 stalled running tasks.',
        metadata: { source: 'predictive-monitor' }
      })
      const taskOf = async () => {
        const detail = await client.call('tasks.get', { id })
        if (!detail.ok) throw new Error(detail.error.message)
        return detail.value.task
      }
      expect(await taskOf()).toMatchObject({ priority: 'urgent', assigneeExpert: 'SRE', domain: 'sre' })
      await sre.close(id, 'the queue is back under the thresholds')
      const closed = await taskOf()
      expect(closed.status).toBe('cancelled')
      await expect(sre.close(id, 'cleared')).resolves.toBeUndefined()
      // Why it was filed and why closed are in the task's own trail, as the task detail shows it.
      const trail = await client.call('trail.get', { correlationId: String(closed.metadata.correlationId) })
      if (!trail.ok) throw new Error(trail.error.message)
      expect(trail.value.tasks.map((t) => t.id)).toEqual([id])
      const lines = trail.value.lines.filter((l) => l.msg.startsWith('predictive monitor'))
      expect(lines.map((l) => [l.msg, l.taskId])).toEqual([
        ['predictive monitor: SRE task filed', id],
        ['predictive monitor: SRE task closed', id],
        ['predictive monitor: SRE task closed', id]
      ])
      expect(lines[1]?.detail).toContain('reason=the queue is back under the thresholds')
    } finally {
      await core.close()
    }
  })

  it('files what a research task answered by a model learned as a note of its domain, whose source names the task', async () => {
    const note =
      'Coding foundations: keep every change in version control, review code before it merges, and pin behaviour with tests.'
    const ollama = await startFakeOllama({
      loaded: ['llama3.2:3b'],
      rules: [{ whenPromptContains: 'foundations of coding', behaviour: { kind: 'reply', text: note } }]
    })
    const core = startTestCore(tempDir(), { env: { KOS_OLLAMA_API_URL: ollama.url } })
    try {
      const client = inProcessClient(
        { dispatcher: () => core.dispatcher, events: core.events },
        { scopes: FULL_SCOPES }
      )
      const watched: string[] = []
      const filed = await researchFiler(client, (id) => watched.push(id))({
        title: 'Research: foundations of coding',
        description: 'Kai covers the domain "coding" and the knowledge base holds no document in it yet.',
        domain: 'coding',
        assigneeExpert: 'coder',
        metadata: { source: 'learning', gap: 'missing_domain' }
      })
      if (!filed.filed) throw new Error('not filed')
      expect(watched).toEqual([filed.id])
      await expect
        .poll(
          async () => {
            const got = await client.call('tasks.get', { id: filed.id })
            return got.ok ? got.value.task.status : null
          },
          { timeout: 30_000 }
        )
        .toBe('completed')
      const results = createLearningResults({
        ...learnedNotesThrough(client),
        minAnswerChars: () => 20,
        log: memoryLogger().logger
      })
      const filing = await results.completed(filed.id)
      if (filing.state !== 'filed') throw new Error(`not filed: ${JSON.stringify(filing)}`)
      const stored = await client.call('knowledge.get', { id: filing.nodeId })
      if (!stored.ok) throw new Error(stored.error.message)
      expect(stored.value).toMatchObject({
        title: 'Foundations of coding',
        domain: 'coding',
        source: learnedSource(filed.id)
      })
      expect(stored.value.content).toContain(note)
      expect(stored.value.content).toContain('Learned by')
      expect(await results.completed(filed.id)).toEqual({ state: 'already_filed', nodeId: filing.nodeId })
    } finally {
      await core.close()
      await ollama.close()
    }
  })
})
