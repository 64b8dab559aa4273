import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../app/start-core'
import { FULL_SCOPES } from '../../rpc/in-process-client'
import { startTestCore } from '../../test-support/running-core'
import { useTempDirs } from '../../test-support/temp-dir'
import { createMcpServer } from './mcp-server'
import { join } from 'node:path'
import { createApprovalQueue } from '../../approvals/approval-queue'
import { DATABASE_FILE } from '../../app/start-core'
import { openDatabase } from '../../db/database'

const tempDir = useTempDirs()
const cores: Core[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
})

async function connected(dir = tempDir()) {
  const core = startTestCore(dir)
  cores.push(core)
  const server = createMcpServer(core.client({ scopes: FULL_SCOPES, transport: 'cli' }), '0.0.0-test')
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'test-client', version: '1.0.0' })
  await client.connect(clientSide)
  const text = (result: Awaited<ReturnType<typeof client.callTool>>) =>
    (result.content as { type: string; text: string }[])[0]?.text ?? ''
  return { client, text }
}

describe('MCP server', () => {
  it('lists the corporation’s tools with their input schemas', async () => {
    const { client } = await connected()
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual([
      'consult_board',
      'decide_approvals',
      'enforce_policy',
      'enqueue_task',
      'get_available_actions',
      'list_approvals',
      'list_deferred_tasks',
      'return_task_with',
      'return_to_autoprocessing',
      'run_action',
      'search_knowledge',
      'task_status',
      'workflow_run_status'
    ])
    const enqueue = tools.find((t) => t.name === 'enqueue_task')!
    expect(enqueue.inputSchema.required).toEqual(expect.arrayContaining(['title', 'description']))
  })

  it('enqueues a task and reads its status back', async () => {
    const { client, text } = await connected()
    const created = await client.callTool({
      name: 'enqueue_task',
      arguments: { title: 'Summarise the Q3 report', description: 'Three bullet points on revenue, costs and risks.' }
    })
    expect(created.isError).toBeFalsy()
    const task = JSON.parse(text(created)) as { id: string; status: string }
    expect(task.status).toBe('pending')
    const status = await client.callTool({ name: 'task_status', arguments: { id: task.id } })
    expect(JSON.parse(text(status))).toMatchObject({ task: { id: task.id, title: 'Summarise the Q3 report' } })
  })

  it('answers a refused call as a tool error the model can read', async () => {
    const { client, text } = await connected()
    const missing = await client.callTool({ name: 'task_status', arguments: { id: 'no-such-task' } })
    expect(missing.isError).toBe(true)
    expect(text(missing)).toMatch(/^not_found: /)
    const both = await client.callTool({ name: 'return_to_autoprocessing', arguments: { ids: ['a'], all: true } })
    expect(both.isError).toBe(true)
    expect(text(both)).toContain('either "ids"')
  })

  it('lists deferred tasks and searches the knowledge base', async () => {
    const { client, text } = await connected()
    const deferred = await client.callTool({ name: 'list_deferred_tasks', arguments: {} })
    expect(deferred.isError).toBeFalsy()
    const search = await client.callTool({ name: 'search_knowledge', arguments: { query: 'quarterly revenue' } })
    expect(search.isError).toBeFalsy()
    expect(JSON.parse(text(search))).toHaveProperty('hits')
  })

  it('lists requests waiting for approval and decides them as one batch', async () => {
    const dir = tempDir()
    const { client, text } = await connected(dir)
    // A workflow step files them (the core's own queue reads the same store).
    const db = openDatabase(join(dir, DATABASE_FILE))
    const queue = createApprovalQueue({ db, decisions: null, changed: () => undefined })
    const ids = ['publish', 'pay'].map((step) =>
      queue.request({
        runId: 'run-1',
        taskId: null,
        step,
        title: `Allow ${step}`,
        reason: 'external',
        correlationId: null
      })
    )
    const listed = await client.callTool({ name: 'list_approvals', arguments: {} })
    expect((JSON.parse(text(listed)) as { pending: number }).pending).toBe(2)
    const decided = await client.callTool({
      name: 'decide_approvals',
      arguments: { verdict: 'approve', all: true, note: 'fine' }
    })
    expect(decided.isError).toBeFalsy()
    const outcome = JSON.parse(text(decided)) as { decided: { id: string; note: string }[]; pending: number }
    expect(outcome.decided.map((a) => a.id)).toEqual(ids)
    expect(outcome.pending).toBe(0)
    const neither = await client.callTool({ name: 'decide_approvals', arguments: { verdict: 'reject' } })
    expect(neither.isError).toBe(true)
    db.close()
  })

  it('offers the workflows as actions, runs one, and checks texts against the policies', async () => {
    const { client, text } = await connected()
    const actions = await client.callTool({ name: 'get_available_actions', arguments: {} })
    const listed = JSON.parse(text(actions)) as { actions: { id: string; steps: { role: string }[] }[] }
    expect(listed.actions.find((a) => a.id === 'code-review')?.steps.map((s) => s.role)).toEqual([
      'coder',
      'librarian',
      'reviewer'
    ])
    const started = await client.callTool({
      name: 'run_action',
      arguments: { workflowId: 'research-summary', input: 'How do SQLite WAL checkpoints work?' }
    })
    expect(started.isError).toBeFalsy()
    const run = JSON.parse(text(started)) as { id: string; source: string; currentStep: string }
    expect(run).toMatchObject({ source: 'mcp', currentStep: 'research' })
    const status = await client.callTool({ name: 'workflow_run_status', arguments: { id: run.id } })
    expect(JSON.parse(text(status))).toMatchObject({
      run: { id: run.id },
      steps: [{ step: 'research', status: 'running' }]
    })

    const leaky = await client.callTool({
      name: 'enforce_policy',
      arguments: {
        text: `deploy with xoxb-${'1234567890'.repeat(3)}`,
        workflowId: 'code-review',
        role: 'reviewer',
        tools: ['web']
      }
    })
    const verdict = JSON.parse(text(leaky)) as { allowed: boolean; violations: { policy: string }[] }
    expect(verdict.allowed).toBe(false)
    expect(verdict.violations.map((v) => v.policy)).toEqual(['no_secrets', 'allowed_tools'])
    expect(text(leaky)).not.toContain('1234567890')
    const uncited = await client.callTool({
      name: 'enforce_policy',
      arguments: { text: '## Summary\nWAL is fast.', workflowId: 'research-summary', step: 'research' }
    })
    expect(JSON.parse(text(uncited))).toMatchObject({ allowed: false, violations: [{ policy: 'cite_sources' }] })
    const clean = await client.callTool({ name: 'enforce_policy', arguments: { text: 'All good here.' } })
    expect(JSON.parse(text(clean))).toEqual({ allowed: true, violations: [] })
  })
})
