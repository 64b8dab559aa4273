import type { CallOutput } from '../../../shared/contract/contract'
import type { CheckDefinition } from '../check-definition'

export interface GenerationThreshold {
  /** A node fails when more than this share of its generations failed… */
  readonly failurePercent: number
  /** …out of at least this many. */
  readonly minGenerations: number
}

const pct = (n: number): string => `${Math.round(n * 100)}%`

/**
 * Checks that see a backend that is up but fails: its model list answers, so
 * the reachability check passes, while every generation fails.
 */
/** The two reads these checks make. */
export interface ModelReads {
  (name: 'models.circuits'): Promise<CallOutput<'models.circuits'>>
  (name: 'models.list'): Promise<CallOutput<'models.list'>>
}

export function generationChecks(read: ModelReads, threshold: () => GenerationThreshold): CheckDefinition[] {
  return [
    {
      id: 'models.generation-success',
      title: 'Generations succeed on every node',
      area: 'models',
      severity: 'hard',
      measures:
        'Per node, the generations of the last models.generationStatsMin minutes that succeeded, against the circuit threshold (models.circuitFailurePercent, at least models.circuitMinRequests generations).',
      remedy:
        'Restart the failing server (Models view or `ollama serve`) and read its log; tasks for it wait without using attempts until it answers again.',
      fix: 'restart-ollama',
      async run() {
        const { generations } = await read('models.circuits')
        const { failurePercent, minGenerations } = threshold()
        const counted = generations.nodes.filter((n) => n.succeeded + n.failed > 0)
        if (counted.length === 0)
          return { status: 'pass', evidence: `no generations in the last ${generations.windowMin} min` }
        const describe = (n: (typeof counted)[number]): string =>
          `${n.node}: ${n.succeeded} of ${n.succeeded + n.failed} succeeded (${pct(n.succeeded / (n.succeeded + n.failed))})${n.topFailure ? `, mostly ${n.topFailure}` : ''}`
        const failing = counted.filter(
          (n) => n.succeeded + n.failed >= minGenerations && n.failed / (n.succeeded + n.failed) > failurePercent / 100
        )
        const evidence = `last ${generations.windowMin} min: ${counted.map(describe).join('; ')}`
        if (failing.length === 0) return { status: 'pass', evidence }
        // Nothing generated anywhere: the corporation is stopped, whatever the other checks say.
        const noneSucceeded = counted.every((n) => n.succeeded === 0)
        return { status: noneSucceeded || failing.length === counted.length ? 'fail' : 'warn', evidence }
      }
    },
    {
      id: 'models.circuits-closed',
      title: 'No circuit open',
      area: 'models',
      severity: 'hard',
      measures:
        'Node/model pairs whose circuit is open (every recent generation failed, so nothing is planned on them until a probe generation succeeds).',
      remedy:
        'Restart the server named in the reason; the circuit closes by itself once a probe generation succeeds, and the waiting tasks run.',
      fix: 'restart-ollama',
      async run() {
        const [{ circuits }, overview] = await Promise.all([read('models.circuits'), read('models.list')])
        if (circuits.length === 0) return { status: 'pass', evidence: 'every circuit is closed' }
        const evidence = circuits
          .map((c) => `${c.reason}${c.nextProbeAt ? `; next probe ${c.nextProbeAt}` : '; probing'}`)
          .join('; ')
        // Blocked everywhere: no chat model on any up node has a closed circuit, so nothing can be generated.
        const usable = overview.nodes.some(
          (n) =>
            n.state === 'up' &&
            n.models.some((m) => !/embed/i.test(m.name) && !n.circuits.some((c) => c.model === m.name))
        )
        return { status: usable ? 'warn' : 'fail', evidence }
      }
    }
  ]
}
