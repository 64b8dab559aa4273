import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { APP_IDENTITY } from '../../../shared/app-identity'
import type { KosClient } from '../../../shared/contract/client'
import { APPROVALS_PAGE_MAX, APPROVAL_NOTE_MAX } from '../../../shared/contract/approvals-contract'
import type { CallInput, CallName } from '../../../shared/contract/contract'
import { SearchInputSchema } from '../../../shared/contract/knowledge-contract'
import { ReviewReturnInputSchema } from '../../../shared/contract/review-contract'
import { TASK_PAGE_MAX, TaskCreateInputSchema } from '../../../shared/contract/tasks-contract'
import { PolicyCheckInputSchema, RunStartInputSchema } from '../../../shared/contract/workflows-contract'

interface ToolResult {
  [key: string]: unknown
  content: { type: 'text'; text: string }[]
  isError?: boolean
}

/** A call's value as text for the model, or its refusal as a tool error it can read and act on. */
async function asTool<N extends CallName>(client: KosClient, name: N, input: CallInput<N>): Promise<ToolResult> {
  const result = await client.call(name, input)
  if (!result.ok)
    return { isError: true, content: [{ type: 'text', text: `${result.error.code}: ${result.error.message}` }] }
  return { content: [{ type: 'text', text: JSON.stringify(result.value, null, 2) }] }
}

/**
 * The corporation as tools for other AI applications (Claude Desktop, IDE
 * agents) over the Model Context Protocol. Each tool is one contract call, so
 * it is validated, authorised and logged exactly as a click in the app is.
 */
export function createMcpServer(client: KosClient, version: string): McpServer {
  const server = new McpServer({ name: APP_IDENTITY.slug, title: APP_IDENTITY.productName, version })

  server.registerTool(
    'enqueue_task',
    {
      title: 'Enqueue a task',
      description:
        'Queue a task for the autonomous workers. A duplicate of a task from the last 30 days for the same expert is refused with the existing id.',
      inputSchema: TaskCreateInputSchema.pick({
        title: true,
        description: true,
        domain: true,
        priority: true,
        assigneeExpert: true
      }).shape
    },
    (args) => asTool(client, 'tasks.create', args)
  )
  server.registerTool(
    'task_status',
    {
      title: 'Task status',
      description: 'A task with its status, attempts, last error, result and event history.',
      inputSchema: { id: z.string().min(1) }
    },
    ({ id }) => asTool(client, 'tasks.get', { id })
  )
  server.registerTool(
    'search_knowledge',
    {
      title: 'Search the knowledge base',
      description:
        'Hybrid full-text and vector search over the knowledge base; each hit has its node id, scores and a snippet.',
      inputSchema: SearchInputSchema.shape
    },
    (args) => asTool(client, 'knowledge.search', args)
  )
  server.registerTool(
    'consult_board',
    {
      title: 'Consult the board of directors',
      description:
        'Put a strategic question to the board: each member states a position and votes, the chair decides with rationale and risks.',
      inputSchema: { question: z.string().min(10).max(4000) }
    },
    ({ question }) => asTool(client, 'board.consult', { question })
  )
  server.registerTool(
    'list_deferred_tasks',
    {
      title: 'List tasks in manual review',
      description: 'Tasks whose automatic attempts ran out (deferred_to_human), with their last error and its type.',
      inputSchema: { limit: z.number().int().min(1).max(TASK_PAGE_MAX).default(100) }
    },
    ({ limit }) => asTool(client, 'tasks.list', { status: 'deferred_to_human', limit })
  )
  server.registerTool(
    'return_to_autoprocessing',
    {
      title: 'Return tasks to autoprocessing',
      description:
        'Send tasks in manual review back to the queue, keeping their error history: the given ids, or all of them.',
      inputSchema: { ids: z.array(z.string().min(1)).min(1).optional(), all: z.boolean().optional() }
    },
    async ({ ids, all }) => {
      if (all === true && !ids) return asTool(client, 'tasks.requeue', { all: true })
      if (ids && all !== true) return asTool(client, 'tasks.requeue', { ids })
      return {
        isError: true,
        content: [
          { type: 'text', text: 'Give either "ids" (a list of task ids) or "all": true, not both and not neither.' }
        ]
      }
    }
  )
  server.registerTool(
    'return_task_with',
    {
      title: 'Return a task with another model or expert',
      description:
        'Send one task in manual review back to the queue to run with another chat model (optionally on a given node) and/or another expert, e.g. the ones review.suggest names.',
      inputSchema: ReviewReturnInputSchema.shape
    },
    (args) => asTool(client, 'review.return', args)
  )
  server.registerTool(
    'list_approvals',
    {
      title: 'List requests waiting for approval',
      description:
        'Requests a workflow step or policy filed for a person’s yes or no (financial, destructive or external actions), oldest first; or the latest decided ones.',
      inputSchema: {
        show: z.enum(['pending', 'decided']).default('pending'),
        limit: z.number().int().min(1).max(APPROVALS_PAGE_MAX).default(100)
      }
    },
    (args) => asTool(client, 'approvals.list', args)
  )
  server.registerTool(
    'decide_approvals',
    {
      title: 'Approve or reject requests',
      description:
        'Approve or reject waiting requests as one batch: the given ids, or all pending. Decided or unknown ids are reported as skipped.',
      inputSchema: {
        verdict: z.enum(['approve', 'reject']),
        ids: z.array(z.string().min(1)).min(1).max(APPROVALS_PAGE_MAX).optional(),
        all: z.boolean().optional(),
        note: z.string().max(APPROVAL_NOTE_MAX).optional()
      }
    },
    async ({ verdict, ids, all, note }) => {
      const extra = note ? { note } : {}
      if (all === true && !ids) return asTool(client, 'approvals.decide', { verdict, all: true, ...extra })
      if (ids && all !== true) return asTool(client, 'approvals.decide', { verdict, ids, ...extra })
      return {
        isError: true,
        content: [
          { type: 'text', text: 'Give either "ids" (the requests to decide) or "all": true, not both and not neither.' }
        ]
      }
    }
  )
  registerWorkflowTools(server, client)
  return server
}

/** The workflow engine as actions: what can be run, run one, follow it, and check a text against the policies first. */
function registerWorkflowTools(server: McpServer, client: KosClient): void {
  server.registerTool(
    'get_available_actions',
    {
      title: 'Available actions (workflows)',
      description:
        'The workflows that can be run: each id, what it does and its steps (role, what each must hand on). Run one with run_action.',
      inputSchema: {}
    },
    async () => {
      const result = await client.call('workflows.list', {})
      if (!result.ok) return asTool(client, 'workflows.list', {})
      const actions = result.value.workflows.map(({ definition: d }) => ({
        id: d.id,
        title: d.title,
        description: d.description,
        maxRounds: d.maxRounds,
        steps: d.steps.map((s) => ({
          name: s.name,
          role: s.role,
          kind: s.kind,
          needsApproval: s.approval !== undefined
        }))
      }))
      return {
        content: [{ type: 'text', text: JSON.stringify({ actions, problems: result.value.problems }, null, 2) }]
      }
    }
  )
  server.registerTool(
    'run_action',
    {
      title: 'Run an action (start a workflow)',
      description:
        'Starts a run of a workflow (an id from get_available_actions) on the given input. Follow it with workflow_run_status.',
      inputSchema: RunStartInputSchema.pick({ workflowId: true, input: true, title: true }).shape
    },
    (args) => asTool(client, 'workflows.run', { ...args, source: 'mcp' })
  )
  server.registerTool(
    'workflow_run_status',
    {
      title: 'Workflow run status',
      description: 'A run: its steps with each hand-off package, the problems found, and every decision.',
      inputSchema: { id: z.string().min(1) }
    },
    ({ id }) => asTool(client, 'workflows.runs.get', { id })
  )
  server.registerTool(
    'enforce_policy',
    {
      title: 'Check a text against the policies',
      description:
        'Checks a text against the always-on policies (no secrets or API keys; sources where the step needs them; the tools a role may use) and says what it breaks.',
      inputSchema: PolicyCheckInputSchema.shape
    },
    (args) => asTool(client, 'workflows.enforcePolicy', args)
  )
}
