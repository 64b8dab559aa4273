import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isEmbeddingModel, rankCandidates, sameModel, type NodeView } from './candidates'
import type { NodeLoad } from './model-stats'

const NAMES = ['qwen:7b', 'qwen:14b', 'llama3.2:3b', 'llama3.2:latest', 'nomic-embed-text', 'big:70b']

const world = fc.record({
  nodes: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      up: fc.boolean(),
      models: fc.uniqueArray(
        fc.record({ name: fc.constantFrom(...NAMES), sizeBytes: fc.option(fc.constantFrom(1e9, 5e9, 40e9)) }),
        { selector: (m) => m.name, maxLength: 6 }
      ),
      loaded: fc.option(fc.subarray(NAMES)),
      latencyMs: fc.option(fc.constantFrom(1, 5, 5, 90))
    }),
    { selector: (n) => n.id, maxLength: 4 }
  ),
  loads: fc.array(
    fc.record({ node: fc.constantFrom('a', 'b', 'c'), active: fc.constantFrom(0, 0, 2), oom: fc.boolean() }),
    { maxLength: 3 }
  ),
  models: fc.array(fc.constantFrom('qwen', 'qwen:7b', 'llama3.2', 'big:70b', 'missing:1b'), { maxLength: 3 }),
  node: fc.option(fc.constantFrom('a', 'b', 'z')),
  anyModel: fc.boolean()
})

describe('candidate ranking, for any nodes, models, loads and wants', () => {
  it('offers each usable pair once: the wanted models first, in order, each group best first', () => {
    fc.assert(
      fc.property(world, (w) => {
        const views: NodeView[] = w.nodes.map((n) => ({
          node: { id: n.id, kind: 'ollama', url: `http://127.0.0.1/${n.id}`, label: n.id, source: 'user' },
          status: {
            state: n.up ? 'up' : 'down',
            latencyMs: n.latencyMs,
            models: n.models,
            loaded: n.loaded === null ? null : n.loaded.map((name) => ({ name, sizeBytes: null, expiresAt: null })),
            error: null,
            scannedAt: null
          }
        }))
        const loads: NodeLoad[] = w.loads.map((l) => ({
          node: l.node,
          activeRequests: l.active,
          latencyMs: null,
          errorRate: 0,
          oomRecently: l.oom
        }))
        const ranked = rankCandidates(views, loads, { models: w.models, node: w.node, anyModel: w.anyModel }, 12)

        const up = views.filter((v) => v.status.state === 'up')
        const wantedGroup = (model: string): number => w.models.findIndex((m) => sameModel(m, model))
        const usable = up.flatMap((v) =>
          v.status.models
            .filter((m) => wantedGroup(m.name) >= 0 || (w.anyModel && !isEmbeddingModel(m.name)))
            .map((m) => `${v.node.id}/${m.name}`)
        )
        // Each usable pair once, nothing else.
        expect(ranked.map((c) => `${c.node}/${c.model}`).sort()).toEqual([...usable].sort())
        // Wanted models first, in the order wanted; then the rest.
        const groups = ranked.map((c) => {
          const g = wantedGroup(c.model)
          return g < 0 ? w.models.length : g
        })
        expect(groups).toEqual([...groups].sort((a, b) => a - b))
        // Within a group, by the asked node, memory, load, latency (then size among the rest): never a worse one first.
        const score = (node: string, model: string): number[] => {
          const v = up.find((u) => u.node.id === node)!
          const load = loads.find((l) => l.node === node)
          const loaded = v.status.loaded === null || v.status.loaded.some((m) => m.name === model)
          return [
            node === w.node ? 0 : 1,
            load?.oomRecently ? 1 : 0,
            loaded ? 0 : 1,
            load?.activeRequests ?? 0,
            v.status.latencyMs ?? 1e9
          ]
        }
        const before = (a: number[], b: number[]): boolean => {
          for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!
          return true
        }
        for (let i = 1; i < ranked.length; i++) {
          const [p, c] = [ranked[i - 1]!, ranked[i]!]
          if (groups[i - 1] !== groups[i]) continue
          const rest = groups[i] === w.models.length
          const size = (node: string, model: string): number[] =>
            rest
              ? [up.find((u) => u.node.id === node)!.status.models.find((m) => m.name === model)!.sizeBytes ?? 0]
              : []
          expect(
            before(
              [...score(p.node, p.model), ...size(p.node, p.model)],
              [...score(c.node, c.model), ...size(c.node, c.model)]
            )
          ).toBe(true)
        }
      }),
      { numRuns: 500 }
    )
  })
})
