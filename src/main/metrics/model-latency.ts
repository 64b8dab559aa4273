import {
  FIRST_TOKEN_BUCKETS,
  REQUEST_DURATION_BUCKETS,
  type ModelLatency,
  type NodeHistogram
} from '../../shared/contract/metrics-contract'

/**
 * Node + model pairs kept as their own series; later ones are counted under model "other" of their node,
 * so a node that lists hundreds of models (an OpenAI-compatible gateway) cannot blow up the label set.
 */
export const MAX_SERIES = 64
export const OTHER_MODEL = 'other'

interface Series {
  readonly node: string
  readonly model: string
  readonly perBucket: number[]
  count: number
  sumSeconds: number
}

/** One histogram per node + model, counted as requests are answered (prom-client would need the labels up front). */
function nodeHistogram(bounds: readonly number[]) {
  const series = new Map<string, Series>()
  return {
    observe(node: string, model: string, seconds: number): void {
      const key = JSON.stringify([node, model])
      let s = series.get(key)
      if (!s) series.set(key, (s = { node, model, perBucket: bounds.map(() => 0), count: 0, sumSeconds: 0 }))
      const i = bounds.findIndex((b) => seconds <= b)
      if (i >= 0) s.perBucket[i] = (s.perBucket[i] ?? 0) + 1
      s.count++
      s.sumSeconds += seconds
    },
    has: (node: string, model: string): boolean => series.has(JSON.stringify([node, model])),
    size: (): number => series.size,
    read(): NodeHistogram {
      return {
        buckets: [...bounds],
        series: [...series.values()].map((s) => {
          let running = 0
          return {
            node: s.node,
            model: s.model,
            cumulative: s.perBucket.map((n) => (running += n)),
            count: s.count,
            sumSeconds: s.sumSeconds
          }
        })
      }
    }
  }
}

export interface ModelLatencyRecorder {
  /** An answered request: its time to first token and its whole duration, in ms as the router measures them. */
  observe(node: string, model: string, sample: { readonly ttftMs: number; readonly totalMs: number }): void
  read(): ModelLatency
}

export function createModelLatency(): ModelLatencyRecorder {
  const firstToken = nodeHistogram(FIRST_TOKEN_BUCKETS)
  const request = nodeHistogram(REQUEST_DURATION_BUCKETS)
  return {
    observe(node, model, sample) {
      const label = request.has(node, model) || request.size() < MAX_SERIES ? model : OTHER_MODEL
      firstToken.observe(node, label, Math.max(0, sample.ttftMs) / 1000)
      request.observe(node, label, Math.max(0, sample.totalMs) / 1000)
    },
    read: () => ({ firstToken: firstToken.read(), request: request.read() })
  }
}
