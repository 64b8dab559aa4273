import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { simulateMakespan } from './queue-makespan'
import { RUNS_PER_TURN } from '../src/main/tasks/worker-pool'
import { measureStoreFloor, type FloorResult } from './queue-floor'
import { measureThroughput, type QueueMode, type ThroughputResult } from './queue-throughput'
import { measureCeilings, UNREAD_INDEXES } from './queue-ceilings'

const repoRoot = resolve(__dirname, '..')
const json = process.argv.includes('--json')
const TASKS = 20_000
// Each figure is the median of this many runs: one run on a shared machine swings by a third.
const RUNS = 3
const out = (line: string): void => void process.stdout.write(`${line}\n`)

async function main(): Promise<void> {
  const results: (ThroughputResult & { range: [number, number] })[] = []
  const median = async (mode: QueueMode, concurrency: number, synchronous: 'FULL' | 'NORMAL'): Promise<void> => {
    const runs: ThroughputResult[] = []
    for (let i = 0; i < RUNS; i++) runs.push(await measureThroughput(repoRoot, mode, concurrency, TASKS, synchronous))
    runs.sort((a, b) => a.tasksPerSec - b.tasksPerSec)
    results.push({
      ...(runs[RUNS >> 1] as ThroughputResult),
      range: [runs[0]?.tasksPerSec ?? 0, runs[RUNS - 1]?.tasksPerSec ?? 0]
    })
  }
  // The engine at c = 8 commits groups of 8 without claim-ahead, holding their claims (quick runs for free slots), and of
  // RUNS_PER_TURN with it (the most runs it starts in one turn), claimed ahead and so written.
  const floorOf = [
    { mode: 'inFlight', groupSize: 8, hold: true },
    { mode: 'batched', groupSize: RUNS_PER_TURN, hold: false }
  ] as const
  const floors: (FloorResult & { mode: QueueMode })[] = []
  // Modes interleaved per concurrency, so they meet the same moment of a shared machine's load; the floors beside c = 8.
  for (const concurrency of [1, 8, 64]) {
    for (const mode of ['inFlight', 'batched', 'created'] as const) await median(mode, concurrency, 'FULL')
    if (concurrency !== 8) continue
    for (const { mode, groupSize, hold } of floorOf) {
      const runs = Array.from({ length: RUNS }, () => measureStoreFloor(repoRoot, groupSize, TASKS, hold))
      floors.push({ ...(runs.sort((a, b) => a.tasksPerSec - b.tasksPerSec)[RUNS >> 1] as FloorResult), mode })
    }
  }
  const engineOverFloor = floors.map((f) => {
    const engine = results.find((r) => r.synchronous === 'FULL' && r.mode === f.mode && r.concurrency === 8)
    return { ...f, ratio: engine ? engine.tasksPerSec / f.tasksPerSec : NaN }
  })
  await median('batched', 8, 'NORMAL')
  const ceilings = await measureCeilings(repoRoot, TASKS, RUNS)
  out(
    `Claim→complete, ${TASKS} no-op tasks, on-disk WAL, an event row per state change (a run that ends within the group after its start tells its claim in its completion’s); median of ${RUNS} runs; load average ${loadavg()[0]!.toFixed(1)}`
  )
  out(
    'inFlight: at most c tasks leased, none claimed ahead. batched: claims up to min(256, 32×c) ahead while tasks are quick.'
  )
  out(
    'created: batched, every task made by the engine’s create (dedup key, event) while the pool runs, timed from the first create.'
  )
  out('Claim latency is per task: from its slot freeing (or work being signalled) to its processor starting.')
  out(
    'FULL: a group is acknowledged only after its WAL frames are fsynced (off the event loop). NORMAL, for comparison: not fsynced.'
  )
  out(
    'CPU µs/task: the process’s CPU time (event loop and fsync threads) per task, steadier than tasks/s on a loaded machine.'
  )
  out(
    'synchronous  mode       c    tasks/s  (min – max of runs)  claim p50 ms  claim p99 ms  CPU µs/task  event rows  seconds'
  )
  for (const r of results) {
    const range = `${r.range[0].toFixed(0)} – ${r.range[1].toFixed(0)}`
    out(
      `${r.synchronous.padEnd(11)}  ${r.mode.padEnd(8)}  ${String(r.concurrency).padStart(3)}  ${r.tasksPerSec.toFixed(0).padStart(8)}  ${range.padStart(19)}  ${r.claimMs.p50.toFixed(3).padStart(12)}  ${r.claimMs.p99.toFixed(3).padStart(12)}  ${r.cpuUsPerTask.toFixed(1).padStart(11)}  ${String(r.eventRows).padStart(10)}  ${r.seconds.toFixed(2).padStart(7)}`
    )
  }
  out('')
  out(
    'Store floor: the task store’s own reads and writes for claim → complete (candidates, claims and completions with their'
  )
  out(
    'events), in transactions of the size the engine commits at c = 8; no pool, scheduler, publish or fsync. Median of runs.'
  )
  out('group  claims   tasks/s  CPU µs/task  engine at c = 8 ÷ floor')
  for (const f of engineOverFloor) {
    out(
      `${String(f.groupSize).padStart(5)}  ${(f.hold ? 'held' : 'written').padEnd(7)}  ${f.tasksPerSec.toFixed(0).padStart(7)}  ${f.cpuUsPerTask.toFixed(1).padStart(11)}  ${f.mode} ${f.ratio.toFixed(2)}`
    )
  }
  out('')
  out('Ceilings at c = 8: the same engine with less to do, arms alternated run by run (not settings of the app).')
  out(
    'No fsync: what Redis AOF everysec risks. 4 indexes fewer: also without the indexes a no-op task writes but never'
  )
  out(`reads (${UNREAD_INDEXES.join(', ')}).`)
  out('mode      target   as the app runs   no fsync   no fsync, 4 indexes fewer   (tasks/s; CPU µs/task)')
  for (const mode of ['inFlight', 'batched'] as const) {
    const cell = (ceiling: string): string => {
      const c = ceilings.find((x) => x.mode === mode && x.ceiling === ceiling)
      return c ? `${c.tasksPerSec.toFixed(0)}; ${c.cpuUsPerTask.toFixed(1)}` : '—'
    }
    out(
      `${mode.padEnd(8)}  ${(mode === 'inFlight' ? '20000' : '40000').padStart(6)}  ${cell('as the app runs').padStart(16)}  ${cell('no fsync').padStart(9)}  ${cell('no fsync, 4 indexes fewer').padStart(26)}`
    )
  }
  const schedules = [simulateMakespan('grouped'), simulateMakespan('fifo')]
  out('')
  out('Scheduling: 3 simulated backends × 2 models each, 2 slots per backend, model switch costs 20 units')
  out('scheduler  tasks  makespan  lower bound  ratio  model loads')
  for (const m of schedules) {
    out(
      `${m.scheduler.padEnd(9)}  ${String(m.tasks).padStart(5)}  ${String(m.makespan).padStart(8)}  ${m.lowerBound.toFixed(1).padStart(11)}  ${m.ratio.toFixed(3).padStart(5)}  ${String(m.loads).padStart(11)}`
    )
  }
  if (json) {
    const byMode = (mode: QueueMode) => {
      const rows = results.filter((r) => r.synchronous === 'FULL' && r.mode === mode)
      return Object.fromEntries(
        rows.map((r) => [
          String(r.concurrency),
          {
            tasksPerSec: Math.round(r.tasksPerSec),
            claimP50Ms: Number(r.claimMs.p50.toFixed(3)),
            claimP99Ms: Number(r.claimMs.p99.toFixed(3)),
            cpuUsPerTask: Number(r.cpuUsPerTask.toFixed(1))
          }
        ])
      )
    }
    const normal = results.filter((r) => r.synchronous === 'NORMAL')
    out(
      JSON.stringify({
        inFlight: byMode('inFlight'),
        batched: byMode('batched'),
        created: byMode('created'),
        storeFloor: Object.fromEntries(
          engineOverFloor.map((f) => [
            String(f.groupSize),
            {
              tasksPerSec: Math.round(f.tasksPerSec),
              cpuUsPerTask: Number(f.cpuUsPerTask.toFixed(1)),
              [`${f.mode}OverFloor`]: Number(f.ratio.toFixed(3))
            }
          ])
        ),
        ceilings: ceilings.map((c) => ({
          ...c,
          tasksPerSec: Math.round(c.tasksPerSec),
          cpuUsPerTask: Number(c.cpuUsPerTask.toFixed(1))
        })),
        makespanRatio: Number((schedules[0]?.ratio ?? 0).toFixed(4)),
        synchronousNormalTasksPerSec: Object.fromEntries(
          normal.map((r) => [String(r.concurrency), Number(r.tasksPerSec.toFixed(2))])
        )
      })
    )
  }
}

void main()
