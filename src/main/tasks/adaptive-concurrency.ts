import type { Concurrency } from '../../shared/contract/tasks-contract'

export interface LoadInputs {
  /** One-minute load average per core; 1 means every core busy. */
  readonly cpuLoad: number
  readonly freeMemoryRatio: number
  readonly activeRequests: number
  readonly latencyMs: number | null
  /** Failed share of recent attempts and backend requests, 0…1. */
  readonly errorRate: number
  readonly oomRecently: boolean
  readonly timeoutsRecently: number
}

export interface ControllerOptions {
  readonly floor: () => number
  readonly ceiling: () => number
  /** No rise for this long after a large change or a detected flip. */
  readonly cooldownMs: number
  /** At least this long between two rises: N climbs slowly while healthy. */
  readonly riseIntervalMs: number
  /** Sum of |changes| allowed within any minute, emergencies excepted. */
  readonly maxChangePerMinute: number
}

export const DEFAULT_CONTROLLER: Omit<ControllerOptions, 'floor' | 'ceiling'> = {
  cooldownMs: 60_000,
  riseIntervalMs: 20_000,
  maxChangePerMinute: 4
}

type Signal = { readonly kind: 'emergency' | 'pressure' | 'healthy' | 'hold'; readonly why: string }

// Hysteresis: pressure starts above the upper marks, health needs to be under the lower ones; between them N holds.
function classify(inputs: LoadInputs, baselineLatency: number | null): Signal {
  if (inputs.oomRecently) return { kind: 'emergency', why: 'out of memory on a backend' }
  if (inputs.timeoutsRecently >= 3) return { kind: 'emergency', why: `${inputs.timeoutsRecently} timeouts` }
  if (inputs.errorRate >= 0.5)
    return { kind: 'emergency', why: `error burst (${Math.round(inputs.errorRate * 100)}% failed)` }
  if (inputs.cpuLoad > 0.9) return { kind: 'pressure', why: `CPU load ${inputs.cpuLoad.toFixed(2)}` }
  if (inputs.freeMemoryRatio < 0.1)
    return { kind: 'pressure', why: `free memory ${Math.round(inputs.freeMemoryRatio * 100)}%` }
  if (inputs.errorRate >= 0.2) return { kind: 'pressure', why: `errors ${Math.round(inputs.errorRate * 100)}%` }
  if (baselineLatency !== null && inputs.latencyMs !== null && inputs.latencyMs > baselineLatency * 2) {
    return { kind: 'pressure', why: `latency ${Math.round(inputs.latencyMs)} ms, twice the usual` }
  }
  if (inputs.cpuLoad < 0.7 && inputs.freeMemoryRatio > 0.2 && inputs.errorRate < 0.05)
    return { kind: 'healthy', why: 'healthy' }
  return { kind: 'hold', why: 'between thresholds' }
}

/**
 * Effective concurrency between a floor and the configured ceiling. Drops
 * at once on OOM, timeouts and error bursts; otherwise moves one step at a
 * time, rises no faster than one step per rise interval, holds after large
 * changes and when it catches itself going A→B→A, and never moves more than
 * a bounded amount per minute.
 */
export function createConcurrencyController(options: ControllerOptions) {
  let current = options.ceiling()
  let cooldownUntil = 0
  let lastRiseAt = -Infinity
  let baselineLatency: number | null = null
  let pressureStreak = 0
  let healthyStreak = 0
  const changes: { at: number; from: number; to: number }[] = []

  function decide(inputs: LoadInputs, now: number): { value: number; reason: string } {
    const floor = Math.max(1, Math.min(options.floor(), options.ceiling()))
    const ceiling = Math.max(floor, options.ceiling())
    if (current > ceiling || current < floor)
      return { value: Math.min(ceiling, Math.max(floor, current)), reason: 'configured bounds changed' }
    if (inputs.latencyMs !== null && inputs.errorRate < 0.05) {
      baselineLatency = baselineLatency === null ? inputs.latencyMs : baselineLatency * 0.9 + inputs.latencyMs * 0.1
    }
    const signal = classify(inputs, baselineLatency)
    pressureStreak = signal.kind === 'pressure' ? pressureStreak + 1 : 0
    healthyStreak = signal.kind === 'healthy' ? healthyStreak + 1 : 0
    if (signal.kind === 'emergency')
      return { value: Math.max(floor, Math.floor(current / 2)), reason: `dropped: ${signal.why}` }
    if (signal.kind === 'hold') return { value: current, reason: `held: ${signal.why}` }
    // A single reading moves nothing: pressure must persist two cycles, health three.
    if (signal.kind === 'pressure' && pressureStreak < 2)
      return { value: current, reason: `held: ${signal.why}, waiting to see it persist` }
    if (signal.kind === 'healthy' && healthyStreak < 3)
      return { value: current, reason: 'held: healthy, waiting to see it persist' }
    const step = signal.kind === 'healthy' ? 1 : -1
    const target = Math.min(ceiling, Math.max(floor, current + step))
    if (target === current) return { value: current, reason: `${signal.why}, at ${step > 0 ? 'ceiling' : 'floor'}` }
    if (step > 0 && now < cooldownUntil)
      return { value: current, reason: `held: cooling down after a large change or a flip` }
    if (step > 0 && now - lastRiseAt < options.riseIntervalMs) return { value: current, reason: 'held: rising slowly' }
    const recent = changes.filter((c) => now - c.at < 60_000).reduce((sum, c) => sum + Math.abs(c.to - c.from), 0)
    if (recent + 1 > options.maxChangePerMinute)
      return { value: current, reason: `held: ${recent} changes in the last minute` }
    const previous = changes.at(-1)
    if (previous && previous.from === target && now - previous.at < 5 * options.riseIntervalMs) {
      // Going back and forth: stay at the lower value for a cooldown rather than chase the load.
      cooldownUntil = now + options.cooldownMs
      if (step > 0) return { value: current, reason: `held: ${target}→${current}→${target} would flip back` }
      return { value: target, reason: `${signal.why}; flip ${current}→${target} detected, holding` }
    }
    return { value: target, reason: signal.why }
  }

  return {
    get value(): number {
      return current
    },
    /** One cycle. Any failure computing N falls back to the configured maximum. */
    next(read: () => LoadInputs, now: number): Concurrency {
      let inputs: LoadInputs | null = null
      let decision: { value: number; reason: string }
      try {
        inputs = read()
        decision = decide(inputs, now)
      } catch (error) {
        decision = { value: options.ceiling(), reason: `fallback to maximum: ${(error as Error).message}` }
      }
      if (decision.value !== current) {
        changes.push({ at: now, from: current, to: decision.value })
        if (changes.length > 32) changes.shift()
        if (Math.abs(decision.value - current) >= 2) cooldownUntil = now + options.cooldownMs
        if (decision.value > current) lastRiseAt = now
        current = decision.value
      }
      return {
        effective: current,
        floor: Math.min(options.floor(), options.ceiling()),
        ceiling: options.ceiling(),
        reason: decision.reason,
        cpuLoad: inputs?.cpuLoad ?? 0,
        freeMemoryRatio: inputs?.freeMemoryRatio ?? 0,
        activeRequests: inputs?.activeRequests ?? 0,
        latencyMs: inputs?.latencyMs ?? null,
        errorRate: inputs?.errorRate ?? 0,
        oomRecently: inputs?.oomRecently ?? false,
        at: new Date(now).toISOString()
      }
    }
  }
}

export type ConcurrencyController = ReturnType<typeof createConcurrencyController>
