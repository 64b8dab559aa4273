import { describe, expect, it } from 'vitest'
import type { Expert } from '../../shared/contract/chat-contract'
import type { NodeView } from '../../shared/contract/models-contract'
import type { Task } from '../../shared/contract/tasks-contract'
import { suggestFor } from './review-suggestions'
import { modelsOverview as overview, nodeView, type ModelAs } from '../test-support/node-view'

// The suggestions name nodes by label: 'local' is This Mac, any other the Studio.
const node = (id: string, models: ModelAs[], over: Partial<NodeView> = {}): NodeView =>
  nodeView(id, models, { label: id === 'local' ? 'This Mac' : 'Studio', ...over })

const expert = (id: string, domains: string[], modelCategory: string, lead = false): Expert => ({
  id,
  name: id[0]?.toUpperCase() + id.slice(1),
  role: id,
  domains,
  systemPrompt: 'You are an expert of the corporation.',
  modelCategory,
  lead,
  edited: false
})
const team = [expert('lead', ['general'], 'general', true), expert('coder', ['coding'], 'coding')]

const task = (over: Partial<Task>): Task => ({
  id: 't1',
  title: 'Write a deploy check',
  description: 'Write a bash script that checks the deploy',
  domain: 'coding',
  priority: 'normal',
  assigneeExpert: null,
  status: 'deferred_to_human',
  attemptCount: 3,
  lastError: 'HTTP 500: llama runner process has terminated',
  errorType: 'runner_terminated',
  backend: 'local',
  model: 'llama3.2:3b',
  nextRetryAfter: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  parentTaskId: null,
  preferredBackend: null,
  preferredModel: null,
  leaseOwner: null,
  heartbeatAt: null,
  result: null,
  metadata: {},
  batchGroup: null,
  completedAt: null,
  latencyMs: null,
  ...over
})

describe('review suggestions', () => {
  it('suggests the expert of the task’s domain and the model preferred for its category, never the pair that failed', () => {
    const nodes = [
      node('local', [
        { name: 'llama3.2:3b', loaded: true },
        { name: 'nomic-embed-text:latest', loaded: true }
      ]),
      node('studio', [{ name: 'qwen2.5-coder:7b' }, { name: 'llama3.2:3b' }])
    ]
    const s = suggestFor(task({}), team, overview(nodes, [{ category: 'coding', model: 'qwen2.5-coder' }]))
    expect(s.expert).toEqual({ id: 'coder', name: 'Coder', why: 'its domain is coding' })
    expect(s.model).toEqual({
      node: 'studio',
      nodeLabel: 'Studio',
      model: 'qwen2.5-coder:7b',
      why: 'preferred for coding; instead of llama3.2:3b on This Mac, where it failed'
    })
    expect(s.noModel).toBeNull()
  })

  it('reads the domain from the text when none was given, and hands a domain no expert has to the lead agent', () => {
    expect(suggestFor(task({ domain: null, assigneeExpert: 'coder' }), team, overview([])).expert).toEqual({
      id: 'coder',
      name: 'Coder',
      why: 'already assigned; its domain is coding'
    })
    expect(suggestFor(task({ domain: 'legal' }), team, overview([])).expert).toEqual({
      id: 'lead',
      name: 'Lead',
      why: 'no expert has the domain legal, so the lead agent takes it'
    })
  })

  it('skips down nodes, open circuits and embedding models, prefers a model in memory, and says when nothing else answers', () => {
    const circuit = {
      node: 'studio',
      model: 'mistral:7b',
      state: 'open' as const,
      reason: '500 on 8 of 8',
      errorType: 'runner_terminated' as const,
      openedAt: '2026-12-01T10:00:00.000Z',
      nextProbeAt: null,
      lastProbeFailure: null
    }
    const nodes = [
      node('local', [{ name: 'llama3.2:3b', loaded: true }]),
      node(
        'studio',
        [{ name: 'mistral:7b', loaded: true }, { name: 'gemma2:2b' }, { name: 'phi3:mini', loaded: true }],
        {
          circuits: [circuit]
        }
      ),
      node('mlx', [{ name: 'qwen-mlx', loaded: true }], { state: 'down', label: 'MLX' })
    ]
    expect(suggestFor(task({}), team, overview(nodes)).model).toMatchObject({ node: 'studio', model: 'phi3:mini' })
    const alone = suggestFor(task({}), team, overview([nodes[0] as NodeView]))
    expect(alone.model).toBeNull()
    expect(alone.noModel).toBe(
      'No other chat model answers now (it failed on llama3.2:3b on This Mac). Bring a model server back, or wait for the circuit to close, then return the task.'
    )
    const blocked = suggestFor(
      task({}),
      team,
      overview([nodes[0] as NodeView, node('studio', [{ name: 'mistral:7b' }], { circuits: [circuit] })])
    )
    expect(blocked.noModel).toBe(
      'No other chat model answers now (mistral:7b on Studio has its circuit open; it failed on llama3.2:3b on This Mac). Bring a model server back, or wait for the circuit to close, then return the task.'
    )
  })
})
