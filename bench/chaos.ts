// Self-healing under model-server faults, measured.
//
// Each scenario runs the core (model router with its circuits, task engine,
// supervisor where the scenario has one) against the project's fake model
// servers, in child processes behind a fault proxy, with the DEFAULT retry
// settings, and reports per scenario: tasks completed without a human, sent
// to manual review, lost (neither after the queue settled), attempts counted
// while the backend was failing, and recovery (backend healthy → first
// completion). Fault durations are real in a full run; --quick scales them
// and queues fewer tasks, and says so.
//
//   npm run bench:chaos [-- --json] [-- --quick] [-- --only NAME] [-- --tasks N --scale X]
import { runScenario, SCENARIOS, type ScenarioResult } from './chaos/scenarios'

const args = process.argv.slice(2)
const json = args.includes('--json')
const quick = args.includes('--quick')
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const only = flag('--only')
const out = (line: string): void => void process.stdout.write(`${line}\n`)

const TARGET = { completedPct: 99, lost: 0, burned: 0, recoverySec: 5 }

async function main(): Promise<void> {
  const base = quick ? { tasks: 40, scale: 0.1, settleMs: 120_000 } : { tasks: 200, scale: 1, settleMs: 600_000 }
  // --tasks and --scale shrink a smoke run further (the bench's own test); a full run uses neither.
  const options = {
    ...base,
    tasks: Number(flag('--tasks') ?? base.tasks),
    scale: Number(flag('--scale') ?? base.scale)
  }
  const chosen = SCENARIOS.filter((s) => !only || s.name.includes(only))
  // Scenarios run side by side (each its own core, data dir and servers) so a full run fits in minutes; the sleep scenario freezes the whole process, so it runs alone, last.
  const together = chosen.filter((s) => !s.name.startsWith('sleep'))
  const alone = chosen.filter((s) => s.name.startsWith('sleep'))
  const results: ScenarioResult[] = await Promise.all(together.map((s) => runScenario(s, options)))
  for (const s of alone) results.push(await runScenario(s, options))
  const meets = (r: ScenarioResult): boolean =>
    r.completedWithoutHumanPct >= TARGET.completedPct &&
    r.lost === TARGET.lost &&
    r.attemptsBurnedWhileBackendFailing === TARGET.burned &&
    (r.recoverySec === null || r.recoverySec < TARGET.recoverySec)
  const scaled = options.scale !== 1 || options.tasks < 200
  out(
    `Chaos: ${options.tasks} tasks per scenario, default retry settings, fault durations ×${options.scale}${scaled ? ' (smoke run: scaled, not the full measurement)' : ' (real time)'}`
  )
  out('scenario                                  done%  review  lost  burned  recovery s  secs  target')
  for (const r of results) {
    out(
      `${r.scenario.padEnd(40)}  ${r.completedWithoutHumanPct.toFixed(1).padStart(5)}  ${String(r.manualReview).padStart(6)}  ${String(r.lost).padStart(4)}  ${String(r.attemptsBurnedWhileBackendFailing).padStart(6)}  ${(r.recoverySec === null ? '—' : r.recoverySec.toFixed(2)).padStart(10)}  ${String(r.seconds).padStart(4)}  ${meets(r) ? 'met' : 'MISSED'}`
    )
    if (r.notes) out(`    ${r.notes}`)
  }
  if (json)
    out(
      JSON.stringify({
        quick: scaled,
        scale: options.scale,
        tasksPerScenario: options.tasks,
        target: TARGET,
        scenarios: results.map((r) => ({ ...r, meetsTarget: meets(r) }))
      })
    )
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  }
)
