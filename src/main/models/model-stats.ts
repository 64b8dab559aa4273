/**
 * What the router measured: time to first token and tokens per second per
 * node + model, and per node the recent requests the task engine's adaptive
 * concurrency reads (latency, errors, out-of-memory).
 */
export interface ModelSpeed {
  readonly node: string
  readonly model: string
  readonly requests: number
  readonly ttftMsMedian: number | null
  readonly tokensPerSecMedian: number | null
  readonly lastAt: string | null
}

export interface NodeLoad {
  readonly node: string
  readonly activeRequests: number
  readonly latencyMs: number | null
  readonly errorRate: number
  readonly oomRecently: boolean
}

const WINDOW = 50
const OOM_MEMORY_MS = 15 * 60_000

interface Samples {
  ttft: number[]
  tps: number[]
  requests: number
  lastAt: string | null
}

export interface ModelStats {
  begin(node: string): () => void
  recordSuccess(
    node: string,
    model: string,
    sample: { ttftMs: number; tokens: number; streamMs: number; totalMs: number }
  ): void
  recordFailure(node: string, oom: boolean): void
  noteOom(node: string): void
  speeds(): ModelSpeed[]
  load(nodes: readonly string[]): NodeLoad[]
}

export function createModelStats(now: () => number = Date.now): ModelStats {
  const perModel = new Map<string, Samples>()
  const active = new Map<string, number>()
  const outcomes = new Map<string, { ok: boolean; ms: number | null }[]>()
  const lastOom = new Map<string, number>()
  // Every routed request reads load() before its first token; the median (a sort of up to WINDOW outcomes) and
  // the error rate change only with a new outcome, so they are taken then, once the answer is out.
  const recent = new Map<string, { latencyMs: number | null; errorRate: number }>()

  const push = <T>(list: T[], value: T): void => {
    list.push(value)
    if (list.length > WINDOW) list.shift()
  }
  const noteOutcome = (node: string, outcome: { ok: boolean; ms: number | null }): void => {
    let list = outcomes.get(node)
    if (!list) outcomes.set(node, (list = []))
    push(list, outcome)
    // One pass, no array per outcome: this runs at the end of every routed request.
    const latencies: number[] = []
    let failures = 0
    for (const o of list) {
      if (o.ms !== null) latencies.push(o.ms)
      if (!o.ok) failures++
    }
    recent.set(node, { latencyMs: median(latencies), errorRate: failures / list.length })
  }

  return {
    begin(node) {
      active.set(node, (active.get(node) ?? 0) + 1)
      let ended = false
      return () => {
        if (ended) return
        ended = true
        active.set(node, Math.max(0, (active.get(node) ?? 1) - 1))
      }
    },
    recordSuccess(node, model, sample) {
      const key = `${node}\u0000${model}`
      let s = perModel.get(key)
      if (!s) perModel.set(key, (s = { ttft: [], tps: [], requests: 0, lastAt: null }))
      s.requests++
      s.lastAt = new Date(now()).toISOString()
      push(s.ttft, sample.ttftMs)
      if (sample.tokens > 1 && sample.streamMs > 0) push(s.tps, ((sample.tokens - 1) * 1000) / sample.streamMs)
      noteOutcome(node, { ok: true, ms: sample.totalMs })
    },
    recordFailure(node, oom) {
      noteOutcome(node, { ok: false, ms: null })
      if (oom) lastOom.set(node, now())
    },
    noteOom: (node) => void lastOom.set(node, now()),
    speeds: () =>
      [...perModel].map(([key, s]) => {
        const [node = '', model = ''] = key.split('\u0000')
        return {
          node,
          model,
          requests: s.requests,
          ttftMsMedian: median(s.ttft),
          tokensPerSecMedian: median(s.tps),
          lastAt: s.lastAt
        }
      }),
    load: (nodes) =>
      nodes.map((node) => {
        const outcome = recent.get(node)
        const oomAt = lastOom.get(node)
        return {
          node,
          activeRequests: active.get(node) ?? 0,
          latencyMs: outcome?.latencyMs ?? null,
          errorRate: outcome?.errorRate ?? 0,
          oomRecently: oomAt !== undefined && now() - oomAt < OOM_MEMORY_MS
        }
      })
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = Float64Array.from(values).sort()
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}
