import { describe, expect, it } from 'vitest'
import { rankCandidates, type NodeView } from './candidates'
import type { NodeLoad } from './model-stats'
import type { ModelInfo } from './provider'

const GB = 1e9

function view(
  id: string,
  models: ModelInfo[],
  opts: { loaded?: string[] | null; latencyMs?: number | null; state?: 'up' | 'down' } = {}
): NodeView {
  const loaded = opts.loaded === undefined ? [] : opts.loaded
  return {
    node: { id, kind: 'ollama', url: `http://127.0.0.1/${id}`, label: id, source: 'user' },
    status: {
      state: opts.state ?? 'up',
      latencyMs: opts.latencyMs ?? null,
      models,
      loaded: loaded === null ? null : loaded.map((name) => ({ name, sizeBytes: null, expiresAt: null })),
      error: null,
      scannedAt: null
    }
  }
}

const load = (node: string, activeRequests = 0, oomRecently = false): NodeLoad => ({
  node,
  activeRequests,
  latencyMs: null,
  errorRate: 0,
  oomRecently
})

const m = (name: string, gb: number): ModelInfo => ({ name, sizeBytes: gb * GB })
const order = (cs: { node: string; model: string }[]): string[] => cs.map((c) => `${c.model}@${c.node}`)

describe('candidate ranking', () => {
  it('puts the wanted models first in order, each on the asked node, then loaded, then idle, then fast nodes, nodes out of memory last', () => {
    const views = [
      view('slow', [m('qwen:7b', 5), m('llama3.2:3b', 2)], { latencyMs: 90, loaded: [] }),
      view('fast', [m('qwen:7b', 5), m('llama3.2:3b', 2)], { latencyMs: 10, loaded: [] }),
      view('warm', [m('qwen:7b', 5)], { latencyMs: 500, loaded: ['qwen:7b'] }),
      view('busy', [m('qwen:7b', 5)], { latencyMs: 1 }),
      view('oom', [m('qwen:7b', 5)], { latencyMs: 1, loaded: ['qwen:7b'] }),
      view('asked', [m('llama3.2:3b', 2)], { latencyMs: 999 }),
      view('down', [m('qwen:7b', 5)], { state: 'down' })
    ]
    const loads = [load('busy', 3), load('oom', 0, true)]
    const ranked = rankCandidates(views, loads, { models: ['qwen', 'llama3.2:3b'], node: 'asked', anyModel: false }, 12)
    expect(order(ranked)).toEqual([
      'qwen:7b@warm',
      'qwen:7b@fast',
      'qwen:7b@slow',
      'qwen:7b@busy',
      'qwen:7b@oom',
      'llama3.2:3b@asked',
      'llama3.2:3b@fast',
      'llama3.2:3b@slow'
    ])
  })

  it('follows with any other chat model, best node first and smaller first on a tie, never an embedding model, each pair once', () => {
    const views = [
      view('a', [m('big:70b', 40), m('nomic-embed-text', 1), m('small:1b', 1)], { latencyMs: 20 }),
      view('b', [m('small:1b', 1), m('big:70b', 40)], { latencyMs: 5 })
    ]
    const ranked = rankCandidates(views, [], { models: ['big:70b'], anyModel: true }, 12)
    expect(order(ranked)).toEqual(['big:70b@b', 'big:70b@a', 'small:1b@b', 'small:1b@a'])
    expect(ranked.map((c) => c.heavy)).toEqual([true, true, false, false])
  })

  it('offers nothing from nodes that are not up, and nothing else when other models may not stand in', () => {
    const views = [view('down', [m('qwen:7b', 5)], { state: 'down' }), view('up', [m('other:3b', 2)])]
    expect(rankCandidates(views, [], { models: ['qwen:7b'], anyModel: false }, 12)).toEqual([])
    expect(order(rankCandidates(views, [], { models: ['qwen:7b'], anyModel: true }, 12))).toEqual(['other:3b@up'])
  })
})
