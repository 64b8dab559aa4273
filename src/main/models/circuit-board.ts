import type { ConfigService } from '../config/config-service'
import {
  allowsRequests,
  closedCircuit,
  expedite,
  probeDue,
  probed,
  record,
  startProbe,
  windowAt,
  type CircuitSettings,
  type CircuitState
} from './circuit'
import type { AttemptFailureKind } from './route-error'

/** A circuit that is not closed, as the Models view, the health monitor and the checklist show it. */
export interface OpenCircuit {
  readonly node: string
  readonly model: string
  readonly state: 'open' | 'half_open'
  /** "ollama-local (llama3.2:3b): 500 “llama runner process has terminated” on 8 of the last 8 generations since 14:02" */
  readonly reason: string
  readonly kind: AttemptFailureKind | null
  readonly openedAt: number
  /** When the next probe starts; null while one runs. */
  readonly nextProbeAt: number | null
  readonly lastProbe: { readonly at: number; readonly failure: string } | null
}

export interface CircuitTransition {
  readonly node: string
  readonly model: string
  readonly from: CircuitState['state']
  readonly to: CircuitState['state']
  readonly circuit: OpenCircuit | null
}

/** Generations per node over the last minutes, for the success ratio. */
export interface GenerationTally {
  readonly node: string
  readonly succeeded: number
  readonly failed: number
  /** The most frequent failure, when any failed. */
  readonly topFailure: string | null
}

export interface CircuitBoard {
  allows(node: string, model: string): boolean
  /**
   * A generation's outcome on node + model. `prompt` (a fingerprint of what was asked) lets a
   * prompt that fails alone stop counting against the node once the model answered a probe.
   */
  record(
    node: string,
    model: string,
    outcome:
      | { readonly ok: true }
      | { readonly ok: false; readonly kind: AttemptFailureKind; readonly failure: string; readonly prompt?: string }
  ): void
  /**
   * Whether this prompt failed on node + model, opened its circuit, and the model then answered a
   * probe: its failures are the prompt's, not the node's (a poison task must not open it again).
   */
  failsAlone(node: string, model: string, prompt: string): boolean
  /** Whether the model answered a request within the circuit window (since the circuit last closed): it "answers others". */
  answersOthers(node: string, model: string): boolean
  /** Makes the probes of a node's open circuits due now: it was just seen coming back. */
  expedite(node: string): void
  /** Circuits whose probe is due, now half open: the caller runs one probe each and reports it with probed(). */
  startDueProbes(): { node: string; model: string }[]
  probed(
    node: string,
    model: string,
    outcome: { readonly ok: true } | { readonly ok: false; readonly failure: string }
  ): void
  open(): OpenCircuit[]
  find(node: string, model: string): OpenCircuit | null
  /** How long a task blocked by this circuit should wait at least, ms. */
  retryAfterMs(node: string, model: string): number
  tallies(sinceMs: number): GenerationTally[]
  onTransition(listener: (transition: CircuitTransition) => void): () => void
}

// Enough for minutes of generations on a busy node; older ones fall out anyway.
const TALLY_LIMIT = 5_000
/** A prompt shown to fail alone stays the prompt's fault this long: a task retried over an hour keeps its blame. */
const FAILS_ALONE_MS = 3_600_000
/** Prompt fingerprints kept per circuit, newest first to stay. */
const PROMPT_LIMIT = 256

export function circuitSettings(config: Pick<ConfigService, 'get'>): CircuitSettings {
  return {
    failureRatio: config.get('models.circuitFailurePercent') / 100,
    minRequests: config.get('models.circuitMinRequests'),
    windowMs: config.get('models.circuitWindowSec') * 1000,
    probeMinMs: config.get('models.circuitProbeMinSec') * 1000,
    probeMaxMs: Math.max(config.get('models.circuitProbeMinSec'), config.get('models.circuitProbeMaxSec')) * 1000
  }
}

/**
 * The circuits of every node + model, on the injected clock (wall-clock
 * milliseconds, so a reason can say "since 14:02").
 */
export function createCircuitBoard(deps: { config: Pick<ConfigService, 'get'>; now?: () => number }): CircuitBoard {
  const now = deps.now ?? Date.now
  const circuits = new Map<string, { node: string; model: string; c: CircuitState<AttemptFailureKind> }>()
  const generations = new Map<string, { at: number; ok: boolean; failure: string | null }[]>()
  const listeners = new Set<(t: CircuitTransition) => void>()
  /** Per circuit: prompts that failed while it was closed, and when; the ones that opened it are among them. */
  const failedPrompts = new Map<string, Map<string, number>>()
  /** Per circuit: prompts that failed while the model answered a probe, until when they stay the prompt's fault. */
  const aloneUntil = new Map<string, Map<string, number>>()
  const key = (node: string, model: string): string => `${node}\u0000${model}`
  const remember = (all: Map<string, Map<string, number>>, k: string, prompt: string, value: number): void => {
    let prompts = all.get(k)
    if (!prompts) all.set(k, (prompts = new Map()))
    prompts.delete(prompt)
    prompts.set(prompt, value)
    if (prompts.size > PROMPT_LIMIT) prompts.delete(prompts.keys().next().value as string)
  }
  const failsAlone = (node: string, model: string, prompt: string): boolean =>
    (aloneUntil.get(key(node, model))?.get(prompt) ?? 0) > now()

  /** The probe answered after these prompts opened the circuit: the model works, they do not. */
  function proveAlone(node: string, model: string, openedAt: number): void {
    const k = key(node, model)
    const from = openedAt - circuitSettings(deps.config).windowMs
    for (const [prompt, at] of failedPrompts.get(k) ?? [])
      if (at >= from) remember(aloneUntil, k, prompt, now() + FAILS_ALONE_MS)
    failedPrompts.delete(k)
  }
  const get = (node: string, model: string): CircuitState<AttemptFailureKind> =>
    circuits.get(key(node, model))?.c ?? closedCircuit()

  function set(node: string, model: string, next: CircuitState<AttemptFailureKind>): void {
    const before = get(node, model)
    if (next === before) return
    circuits.set(key(node, model), { node, model, c: next })
    if (before.state === next.state) return
    if (before.state === 'half_open' && next.state === 'closed') proveAlone(node, model, before.openedAt)
    const transition: CircuitTransition = {
      node,
      model,
      from: before.state,
      to: next.state,
      circuit: view(node, model, next)
    }
    for (const l of listeners) l(transition)
  }

  function tally(node: string, ok: boolean, failure: string | null): void {
    let list = generations.get(node)
    if (!list) generations.set(node, (list = []))
    list.push({ at: now(), ok, failure })
    // Cut in one go once it is twice the limit, not by one at every generation past it: a splice at
    // the front moves every entry, 5,000 of them: a tenth of the router's CPU per request in a profile.
    if (list.length >= 2 * TALLY_LIMIT) list.splice(0, list.length - TALLY_LIMIT)
  }

  return {
    allows: (node, model) => allowsRequests(get(node, model)),
    record(node, model, outcome) {
      tally(node, outcome.ok, outcome.ok ? null : outcome.failure)
      const at = now()
      if (!outcome.ok && outcome.prompt !== undefined) {
        // Its failure again says nothing about the node: the probe showed the model answers others.
        if (failsAlone(node, model, outcome.prompt)) return
        if (get(node, model).state === 'closed') remember(failedPrompts, key(node, model), outcome.prompt, at)
      }
      set(
        node,
        model,
        record(
          get(node, model),
          outcome.ok ? { at, ok: true } : { at, ok: false, kind: outcome.kind, failure: outcome.failure },
          circuitSettings(deps.config)
        )
      )
    },
    failsAlone,
    answersOthers(node, model) {
      const c = get(node, model)
      return c.state === 'closed' && windowAt(c.window, now(), circuitSettings(deps.config)).some((o) => o.ok)
    },
    expedite(node) {
      const at = now()
      for (const e of [...circuits.values()]) if (e.node === node) set(e.node, e.model, expedite(e.c, at))
    },
    startDueProbes() {
      const at = now()
      const due = [...circuits.values()].filter((e) => probeDue(e.c, at))
      for (const e of due) set(e.node, e.model, startProbe(e.c, at))
      return due.map((e) => ({ node: e.node, model: e.model }))
    },
    probed(node, model, outcome) {
      tally(node, outcome.ok, outcome.ok ? null : outcome.failure)
      const at = now()
      set(
        node,
        model,
        probed(
          get(node, model),
          outcome.ok ? { at, ok: true } : { at, ok: false, failure: outcome.failure },
          circuitSettings(deps.config)
        )
      )
    },
    open: () => [...circuits.values()].flatMap((e) => view(e.node, e.model, e.c) ?? []),
    find: (node, model) => view(node, model, get(node, model)),
    retryAfterMs(node, model) {
      const c = get(node, model)
      if (c.state === 'open') return Math.max(0, c.probeAt - now())
      return deps.config.get('models.circuitProbeMinSec') * 1000
    },
    tallies(sinceMs) {
      const from = now() - sinceMs
      return [...generations].map(([node, list]) => {
        const recent = list.slice(-TALLY_LIMIT).filter((g) => g.at >= from)
        const failures = recent.flatMap((g) => (g.failure === null ? [] : [g.failure]))
        return {
          node,
          succeeded: recent.length - failures.length,
          failed: failures.length,
          topFailure: mostFrequent(failures)
        }
      })
    },
    onTransition(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

function view(node: string, model: string, c: CircuitState<AttemptFailureKind>): OpenCircuit | null {
  if (c.state === 'closed') return null
  const r = c.reason
  const last = `the last ${r.requests} generation${r.requests === 1 ? '' : 's'}`
  const reason = r.mixed
    ? `${node} (${model}): ${r.failures} of ${last} failed since ${clock(r.since)}, most with ${r.failure}`
    : `${node} (${model}): ${r.failure} on ${r.failures} of ${last} since ${clock(r.since)}`
  return {
    node,
    model,
    state: c.state,
    reason,
    kind: r.kind,
    openedAt: c.openedAt,
    nextProbeAt: c.state === 'open' ? c.probeAt : null,
    lastProbe: c.lastProbe && !c.lastProbe.ok ? { at: c.lastProbe.at, failure: c.lastProbe.failure ?? 'failed' } : null
  }
}

/** "14:02", in the machine's time zone, as the owner reads a clock. */
export function clock(ms: number): string {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

function mostFrequent(values: readonly string[]): string | null {
  const counts = new Map<string, number>()
  let best: string | null = null
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1
    counts.set(v, n)
    if (best === null || n > (counts.get(best) ?? 0)) best = v
  }
  return best
}
