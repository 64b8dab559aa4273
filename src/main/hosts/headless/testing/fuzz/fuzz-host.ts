import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCore } from '../../../../app/start-core'
import { OFFLINE_ENV } from '../../../../test-support/offline-env'
import type { GateSettings } from '../../call-gate'
import { startHeadlessHost } from '../../headless-host'

/** Raised so the fuzz reaches the schemas; the limits themselves have their own tests. */
const FUZZ_GATE: GateSettings = {
  fullPerSecond: 10_000,
  readOnlyPerSecond: 10_000,
  workPerMinute: 600_000,
  maxEventLoopLagMs: 0,
  maxPendingCalls: 100_000
}

/**
 * A headless host in a process of its own, for the fuzz suite: if a payload
 * takes it down, the suite sees the exit instead of going down with it.
 * Prints one JSON line (origin, tokens, database file) once it listens; stops
 * on SIGTERM. Background work is off, so the data changes only by calls.
 * Arguments: the data dir, then the gate's settings as JSON (default FUZZ_GATE).
 */
async function main(): Promise<void> {
  const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kos-fuzz-'))
  const rendererDir = join(dataDir, 'renderer')
  mkdirSync(rendererDir, { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<html><head></head><body></body></html>')
  writeFileSync(join(rendererDir, 'web-bridge.js'), '')
  const started = startCore({
    hostKind: 'headless',
    dataDirFlag: dataDir,
    cliSettings: new Map(),
    platform: { platform: process.platform, env: { ...OFFLINE_ENV }, home: dataDir },
    appVersion: '0.0.0-fuzz',
    background: false
  })
  if (!started.ok) throw new Error(started.error.message)
  const { core } = started
  const hosting = await startHeadlessHost({
    dispatcher: core.dispatcher,
    events: core.events,
    log: core.log,
    rendererDir,
    bind: '127.0.0.1',
    port: 0,
    portFallback: false,
    allowRemote: false,
    gate: process.argv[3] ? (JSON.parse(process.argv[3]) as GateSettings) : FUZZ_GATE
  })
  if (!hosting.ok) throw new Error(hosting.message)
  const { host } = hosting
  process.stdout.write(
    `${JSON.stringify({ origin: host.origin, fullToken: host.access.fullToken, readOnlyToken: host.access.readOnlyToken, databaseFile: core.info().databaseFile })}\n`
  )
  process.once('SIGTERM', () => {
    void host
      .close()
      .then(() => core.close())
      .then(() => process.exit(0))
  })
}

void main().catch((error: unknown) => {
  process.stderr.write(`fuzz host failed to start: ${String(error)}\n`)
  process.exit(2)
})
