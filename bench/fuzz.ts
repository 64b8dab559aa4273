// The contract fuzz at a larger count, then the headless host's rate limits
// and load shedding at their default settings, measured against a host in a
// process of its own (started from source: no build needed).
//
//   npm run bench:fuzz [-- --json] [-- --samples 40] [-- --seed 1]
import { request } from 'node:http'
import { DEFAULT_GATE_SETTINGS } from '../src/main/hosts/headless/call-gate'
import { runFuzz } from '../src/main/hosts/headless/testing/fuzz/fuzz-run'
import { startFuzzTarget, type FuzzTarget } from '../src/main/hosts/headless/testing/fuzz/fuzz-target'

const json = process.argv.includes('--json')
const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
const print = (line: string): void => void process.stdout.write(`${line}\n`)

interface Answer {
  status: number
  retryAfter: string | undefined
}

function post(target: FuzzTarget, token: string, name: string, body = '{}'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.origin}/api/call/${name}`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }))
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

const count = (answers: readonly Answer[]): Record<string, number> =>
  answers.reduce<Record<string, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {})

/** `calls` calls as fast as one connection at a time allows: how many pass, and what a refusal says. */
async function burst(target: FuzzTarget, token: string, name: string, calls: number) {
  const started = Date.now()
  const answers: Answer[] = []
  for (let i = 0; i < calls; i++) answers.push(await post(target, token, name))
  const firstRefused = answers.findIndex((a) => a.status === 429)
  return {
    call: name,
    calls,
    seconds: (Date.now() - started) / 1000,
    statuses: count(answers),
    passedBeforeFirst429: firstRefused,
    retryAfterSeconds: answers[firstRefused]?.retryAfter ?? null
  }
}

/** A call that holds the event loop (a 15 MB text to chunk and index) while another client keeps calling. */
async function shedding(target: FuzzTarget) {
  const content = 'A long line of notes, pasted in one piece, to be chunked and indexed. '.repeat(210_000)
  let done = false
  const heavy = post(
    target,
    target.fullToken,
    'knowledge.addText',
    JSON.stringify({ title: 'Heavy', content })
  ).finally(() => (done = true))
  const probes: Answer[] = []
  // Probes keep coming until the heavy call has answered, and for three seconds after it.
  const until = (): boolean => done && probes.length > 0 && Date.now() > doneAt + 3000
  let doneAt = Number.POSITIVE_INFINITY
  void heavy.then(() => (doneAt = Date.now()))
  while (!until()) {
    probes.push(await post(target, target.readOnlyToken, 'app.info'))
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const heavyAnswer = await heavy
  return {
    heavyCall: {
      call: 'knowledge.addText',
      megabytes: +(content.length / 1048576).toFixed(1),
      status: heavyAnswer.status
    },
    probes: probes.length,
    probeStatuses: count(probes),
    retryAfterSeconds: probes.find((p) => p.status === 503)?.retryAfter ?? null,
    servedAgainAfter: probes.at(-1)?.status === 200
  }
}

async function main(): Promise<void> {
  const samplesPerCall = argValue('--samples', 40)
  const seed = argValue('--seed', 1)
  const fuzzTarget = await startFuzzTarget()
  let fuzz
  try {
    fuzz = await runFuzz(fuzzTarget, { seed, samplesPerCall, heavyEvery: 4, ...(json ? {} : { progress: print }) })
  } finally {
    await fuzzTarget.stop()
  }

  const limited = await startFuzzTarget(DEFAULT_GATE_SETTINGS)
  let rateLimits
  let shed
  try {
    rateLimits = {
      settings: DEFAULT_GATE_SETTINGS,
      readOnly: await burst(limited, limited.readOnlyToken, 'tasks.counters', 100),
      full: await burst(limited, limited.fullToken, 'tasks.counters', 400),
      readOnlyWork: await burst(limited, limited.readOnlyToken, 'checklist.run', 3),
      fullWork: await burst(limited, limited.fullToken, 'models.scan', 6)
    }
    shed = await shedding(limited)
  } finally {
    await limited.stop()
  }

  const result = { fuzz: { seed, samplesPerCall, ...fuzz }, rateLimits, shedding: shed }
  if (json) return print(JSON.stringify(result, null, 2))
  print(
    `\nFuzz: ${fuzz.payloads} payloads (${fuzz.byTransport.http} HTTP, ${fuzz.byTransport.ws} WebSocket) in ${(fuzz.durationMs / 1000).toFixed(1)} s`
  )
  print(
    `  accepted ${fuzz.accepted}, typed errors ${fuzz.typed} ${JSON.stringify(fuzz.typedByCode)}, closed by the transport ${fuzz.closed} ${JSON.stringify(fuzz.closedByCode)}, crashes ${fuzz.crashes}`
  )
  print(
    `  health checks ${fuzz.healthChecksPassed}/${fuzz.batches}; refused batches compared ${fuzz.refusedBatchesCompared}, changed ${fuzz.refusedBatchesChanged}`
  )
  for (const [name, b] of Object.entries(rateLimits).filter(([k]) => k !== 'settings'))
    print(`Rate limit ${name}: ${JSON.stringify(b)}`)
  print(`Shedding: ${JSON.stringify(shed)}`)
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench:fuzz failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
