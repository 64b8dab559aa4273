import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckDefinition } from '../check-definition'
import { formatBytes } from '../format-bytes'

export interface AppCheckDeps {
  readonly dataDir: string
  /** Folders whose size is bounded: logs/ and exports/. */
  readonly fileFolders: readonly string[]
  /** Whether this process holds the data dir's instance lock, and who the lock file names. */
  readonly instanceOwner: () => { readonly heldByUs: boolean; readonly ownerPid: number | null }
  /** Re-reads every source of settings as the next start would; the problems found, if any. */
  readonly revalidateConfig: () => readonly string[]
  readonly settingSources: () => Readonly<Record<string, number>>
  readonly filesBoundBytes: () => number
  readonly timeouts: () => {
    readonly llmRequestSec: number
    readonly heartbeatSec: number
    readonly stuckMinutes: number
  }
}

export function appChecks(deps: AppCheckDeps): CheckDefinition[] {
  return [
    {
      id: 'app.single-instance',
      title: 'One worker on the data dir',
      area: 'app',
      severity: 'hard',
      measures: "The data dir's instance lock: held by this process, and instance.json naming this process.",
      remedy:
        'Stop the other Knowledge OS process named in the message (desktop app, `kos serve` or a container), then restart this one.',
      fix: null,
      run() {
        const owner = deps.instanceOwner()
        if (!owner.heldByUs)
          return { status: 'fail', evidence: `the lock is not held by this process (pid ${process.pid})` }
        if (owner.ownerPid !== process.pid)
          return {
            status: 'fail',
            evidence: `instance.json names pid ${owner.ownerPid ?? 'nobody'}, this process is ${process.pid}`
          }
        return { status: 'pass', evidence: `pid ${process.pid} holds the lock on ${deps.dataDir}` }
      }
    },
    {
      id: 'app.config-valid',
      title: 'Settings valid, with their sources',
      area: 'app',
      severity: 'hard',
      measures:
        'Every setting re-read from flags, environment, settings.json and the profile, as the next start would.',
      remedy: 'Fix each named value (the message says where it comes from), or reset it in Settings.',
      fix: null,
      run() {
        const problems = deps.revalidateConfig()
        if (problems.length > 0) return { status: 'fail', evidence: problems.join(' ') }
        const sources = Object.entries(deps.settingSources())
          .map(([kind, n]) => `${n} from ${kind}`)
          .join(', ')
        return { status: 'pass', evidence: `all valid: ${sources}` }
      }
    },
    {
      id: 'app.logs-bounded',
      title: 'Logs and exports within their bound',
      area: 'app',
      severity: 'soft',
      measures: 'Total size of logs/ and exports/ in the data dir against files.warnMb.',
      remedy:
        'Lower log.level or files.keepNewest; housekeeping gzips files older than files.compressAfterDays and deletes the oldest.',
      fix: null,
      async run() {
        let total = 0
        for (const folder of deps.fileFolders) total += await folderBytes(folder)
        const bound = deps.filesBoundBytes()
        return { status: total > bound ? 'warn' : 'pass', evidence: `${formatBytes(total)} of ${formatBytes(bound)}` }
      }
    },
    {
      id: 'models.timeouts-aligned',
      title: 'Router and worker timeouts agree',
      area: 'models',
      severity: 'hard',
      measures:
        'The LLM request timeout shared by router and worker, against the heartbeat interval and the stuck threshold.',
      remedy:
        'Keep worker.heartbeatSec × 3 under worker.stuckMinutes, so a task that is working is never reset as stuck.',
      fix: null,
      run() {
        const t = deps.timeouts()
        const stuckSec = t.stuckMinutes * 60
        const evidence = `router and worker share llm.requestTimeoutSec = ${t.llmRequestSec} s; heartbeat every ${t.heartbeatSec} s; stuck after ${stuckSec} s`
        return { status: t.heartbeatSec * 3 <= stuckSec ? 'pass' : 'fail', evidence }
      }
    }
  ]
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    try {
      total += (await stat(join(dir, name))).size
    } catch {
      // A file rotated away between readdir and stat is simply no longer there.
    }
  }
  return total
}
