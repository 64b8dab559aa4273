import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { STARTUP_EXIT_CODE } from '../../app/startup-error'
import { startCore } from '../../app/start-core'
import type { CliSetting } from '../../config/config-resolver'
import type { SettingKey } from '../../config/setting-definitions'
import { USER_SETTINGS_FILE } from '../../config/user-settings-file'
import { writeFileAtomic } from '../../platform/atomic-file'
import { resolveDataDir } from '../../platform/data-dir'
import { FULL_SCOPES, inProcessClient } from '../../rpc/in-process-client'
import { evaluateGates, exitCodeOf, gateLimitsFrom } from '../../soak/soak-gates'
import { roundKpis, soakReportJson, type SoakReport } from '../../soak/soak-report'
import { runSoak } from '../../soak/soak-run'
import type { CommandContext } from '../command-context'

const EXIT_USAGE = 64
const DEFAULT_RATE = 20
export const SOAK_REPORT_FILE = 'soak-report.json'

function positive(flag: string, raw: string | undefined, max: number): number | string {
  if (raw === undefined || raw === '')
    return `${flag} is required: a number above 0 and at most ${max}. E.g. kos soak --minutes 30 --rate 20.`
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0 || n > max)
    return `${flag} takes a number above 0 and at most ${max}; got "${raw}". E.g. kos soak --minutes 30 --rate 20.`
  return n
}

/** The soak measures the tasks it queues: learning tasks would compete for the same models, so they are off unless --set turns them on. */
function soakSettings(given: ReadonlyMap<SettingKey, CliSetting>): ReadonlyMap<SettingKey, CliSetting> {
  if (given.has('autopilot.learningEnabled')) return given
  return new Map([...given, ['autopilot.learningEnabled', { flag: 'kos soak', raw: 'false' }]])
}

/**
 * `kos soak --minutes N [--rate R]`: a release gate. Starts the core with its
 * worker on a fresh data dir (the settings file of the usual one copied in,
 * so the same model servers are used; the real queue is never touched), or on
 * --data-dir; queues R synthetic tasks a minute for N minutes through the real
 * router and nodes; judges the KPIs against the soak.* gates; writes the
 * canonical JSON report and its SHA-256 to --out (default: the current
 * folder). Exit 0 pass, 2 soft limits broken, 1 a hard limit broken.
 */
export async function soak(ctx: CommandContext): Promise<number> {
  const minutes = positive('--minutes', ctx.args.minutes, 1440)
  const rate = ctx.args.rate === undefined ? DEFAULT_RATE : positive('--rate', ctx.args.rate, 600)
  if (typeof minutes === 'string' || typeof rate === 'string') {
    ctx.err(typeof minutes === 'string' ? minutes : (rate as string))
    return EXIT_USAGE
  }
  const usual = resolveDataDir(undefined, ctx.platform).path
  const scratch = ctx.args.dataDir ? null : mkdtempSync(join(tmpdir(), 'kos-soak-'))
  try {
    if (scratch && existsSync(join(usual, USER_SETTINGS_FILE)))
      copyFileSync(join(usual, USER_SETTINGS_FILE), join(scratch, USER_SETTINGS_FILE))
    const started = startCore({
      hostKind: 'cli',
      dataDirFlag: ctx.args.dataDir ?? (scratch as string),
      cliSettings: soakSettings(ctx.args.settings),
      platform: ctx.platform,
      appVersion: ctx.appVersion,
      background: true
    })
    if (!started.ok) {
      ctx.err(started.error.message)
      return STARTUP_EXIT_CODE[started.error.kind]
    }
    const { core } = started
    try {
      const progress = (line: string): void => {
        if (!ctx.args.json) ctx.out(line)
      }
      progress(`Soak: ${rate} tasks a minute for ${minutes} min through the configured model servers…`)
      const measured = await runSoak(
        { minutes, ratePerMinute: rate, drainSeconds: core.config.get('llm.requestTimeoutSec'), sampleSeconds: 5 },
        {
          client: inProcessClient(
            { dispatcher: () => core.dispatcher, events: core.events },
            { scopes: FULL_SCOPES, transport: 'cli' }
          ),
          now: Date.now,
          sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
          memoryMb: () => process.memoryUsage().rss / (1024 * 1024),
          progress,
          runId: randomBytes(3).toString('hex')
        }
      )
      const kpis = roundKpis(measured.kpis)
      const { gates, verdict } = evaluateGates(kpis, gateLimitsFrom(core.config))
      const report: SoakReport = {
        kind: 'kos-soak-report',
        version: 1,
        profile: { minutes, ratePerMinute: rate },
        nodes: measured.nodes,
        counts: measured.counts,
        kpis,
        gates,
        verdict
      }
      const { json, sha256 } = soakReportJson(report)
      const dir = resolve(ctx.args.out ?? '.')
      mkdirSync(dir, { recursive: true })
      const file = join(dir, SOAK_REPORT_FILE)
      writeFileAtomic(file, json)
      writeFileAtomic(`${file}.sha256`, `${sha256}  ${SOAK_REPORT_FILE}\n`)
      if (ctx.args.json) ctx.out(JSON.stringify({ report: file, sha256, verdict }))
      else {
        for (const g of gates)
          ctx.out(
            `${g.status.toUpperCase().padEnd(4)}  ${g.kpi.padEnd(14)} ${g.value ?? '—'} (soft ${g.soft}, hard ${g.hard}) ${g.note}`
          )
        ctx.out(`\n${verdict} — ${file} (sha256 ${sha256})`)
      }
      return exitCodeOf(verdict)
    } finally {
      await core.close()
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  }
}
