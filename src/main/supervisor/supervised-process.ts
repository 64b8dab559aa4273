import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { classifyLine, describeFailure, isMemoryFailure, type KnownFailure } from './failure-classifier'
import { findExecutable } from './find-executable'
import { createLineRing } from './line-ring'
import { createRestartPolicy } from './restart-policy'

export type SupervisionMode = 'off' | 'adopt' | 'manage'

export type ProcessState =
  'off' | 'not_installed' | 'stopped' | 'starting' | 'running' | 'adopted' | 'restarting' | 'needs_attention'

export type ProbeResult =
  { readonly ok: true; readonly modelCount: number | null } | { readonly ok: false; readonly reason: string }

export interface ProcessSpec {
  readonly id: string
  readonly label: string
  readonly command: string
  readonly args: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  readonly mode: () => SupervisionMode
  readonly probe: (signal: AbortSignal) => Promise<ProbeResult>
  readonly probeIntervalMs: () => number
  readonly maxRestartsPerHour: () => number
  readonly logFile: string
  /** Folders of other users holding this server's models, with how many; used to explain an empty model list. */
  readonly otherUsersModels?: () => readonly { readonly dir: string; readonly count: number }[]
  readonly backoffBaseMs?: number
  readonly startTimeoutMs?: number
  readonly probeTimeoutMs?: number
  readonly pathVariable?: string
}

export interface ProcessStatus {
  readonly id: string
  readonly label: string
  readonly command: string
  readonly mode: SupervisionMode
  readonly state: ProcessState
  readonly installed: boolean
  readonly pid: number | null
  readonly restartsLastHour: number
  /** Why it is not running, or what needs a person. */
  readonly reason: string | null
  /** A problem while running, e.g. started as another user. */
  readonly warning: string | null
  readonly lastFailure: { readonly kind: KnownFailure; readonly line: string; readonly at: string } | null
  readonly lastExit: { readonly code: number | null; readonly signal: string | null; readonly at: string } | null
  readonly logTail: string[]
  readonly logFile: string
}

export interface SupervisedProcess {
  status(): ProcessStatus
  /**
   * Probes, then adopts a running instance, starts one, or restarts a dead
   * one, as the mode allows. After a system resume one failed probe is enough
   * to restart the app's own child, which may have been frozen mid-request.
   */
  reconcile(afterResume?: boolean): Promise<void>
  start(): Promise<void>
  /** Stops the app's own child; an adopted instance is not the app's to stop. */
  stop(): Promise<{ ok: true } | { ok: false; message: string }>
  restart(): Promise<{ ok: true } | { ok: false; message: string }>
  /** Stops the child and every timer, for quitting. */
  shutdown(): Promise<void>
}

export interface ProcessEvents {
  onChange(status: ProcessStatus): void
  onMemoryFailure(id: string, failure: KnownFailure, line: string): void
}

const STOP_GRACE_MS = 5000

export function createSupervisedProcess(spec: ProcessSpec, events: ProcessEvents): SupervisedProcess {
  const ring = createLineRing(200)
  const policy = createRestartPolicy({
    maxPerHour: spec.maxRestartsPerHour,
    baseMs: spec.backoffBaseMs ?? 1000,
    maxMs: 60_000
  })
  let state: ProcessState = 'stopped'
  let reason: string | null = null
  let warning: string | null = null
  let child: ChildProcess | null = null
  let userStopped = false
  let shuttingDown = false
  let failedProbes = 0
  let lastFailure: ProcessStatus['lastFailure'] = null
  let lastExit: ProcessStatus['lastExit'] = null
  let restartTimer: NodeJS.Timeout | null = null
  let probeTimer: NodeJS.Timeout | null = null
  let log: WriteStream | null = null
  let reconciling: Promise<void> | null = null
  const installedPath = (): string | null => findExecutable(spec.command, spec.pathVariable ?? process.env.PATH)

  const status = (): ProcessStatus => ({
    id: spec.id,
    label: spec.label,
    command: [spec.command, ...spec.args].join(' '),
    mode: spec.mode(),
    state,
    installed: installedPath() !== null,
    pid: child?.pid ?? null,
    restartsLastHour: policy.recentCount(Date.now()),
    reason,
    warning,
    lastFailure,
    lastExit,
    logTail: ring.lines().slice(-20),
    logFile: spec.logFile
  })

  function set(next: ProcessState, why: string | null): void {
    const changed = next !== state || why !== reason
    state = next
    reason = why
    if (changed) events.onChange(status())
  }

  function line(text: string, stream: 'out' | 'err'): void {
    ring.push(text)
    log?.write(`${new Date().toISOString()} ${stream} ${text}\n`)
    const failure = classifyLine(text)
    if (!failure) return
    lastFailure = { kind: failure, line: text, at: new Date().toISOString() }
    if (isMemoryFailure(failure)) events.onMemoryFailure(spec.id, failure, text)
    events.onChange(status())
  }

  async function probe(): Promise<ProbeResult> {
    try {
      return await spec.probe(AbortSignal.timeout(spec.probeTimeoutMs ?? Math.min(10_000, spec.probeIntervalMs())))
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) }
    }
  }

  function checkOwner(result: ProbeResult): void {
    const before = warning
    warning = null
    if (result.ok && result.modelCount === 0 && spec.otherUsersModels) {
      const elsewhere = spec.otherUsersModels().filter((d) => d.count > 0)
      if (elsewhere.length > 0) {
        const where = elsewhere.map((d) => `${d.count} in ${d.dir}`).join(', ')
        warning = `${spec.label} was started as another user: it lists no models while models exist on disk (${where}). Quit that instance and let the app start it, or start it as the user who owns those models.`
      }
    }
    if (before !== warning) events.onChange(status())
  }

  function spawnChild(): void {
    if (shuttingDown || userStopped || child) return
    const exe = installedPath()
    if (!exe) {
      set(
        'not_installed',
        `${spec.command} is not installed (not found on PATH). Install it, or set the supervisor mode for ${spec.label} to off.`
      )
      return
    }
    if (!log) {
      mkdirSync(dirname(spec.logFile), { recursive: true })
      log = createWriteStream(spec.logFile, { flags: 'a' })
    }
    set('starting', null)
    const started = spawn(exe, [...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    child = started
    if (started.stdout) createInterface({ input: started.stdout }).on('line', (l) => line(l, 'out'))
    if (started.stderr) createInterface({ input: started.stderr }).on('line', (l) => line(l, 'err'))
    started.on('error', (error) => {
      ring.push(`failed to start: ${error.message}`)
      if (child === started) child = null
      crashed(`it could not be started (${error.message})`)
    })
    started.on('exit', (code, signal) => {
      lastExit = { code, signal, at: new Date().toISOString() }
      if (child === started) child = null
      if (shuttingDown || userStopped) return set('stopped', userStopped ? 'Stopped by you.' : null)
      crashed(signal ? `it was killed by ${signal}` : `it exited with code ${code}`)
    })
    void waitUntilServing(started)
  }

  async function waitUntilServing(started: ChildProcess): Promise<void> {
    const until = Date.now() + (spec.startTimeoutMs ?? 30_000)
    while (child === started && Date.now() < until) {
      const result = await probe()
      if (child !== started) return
      if (result.ok) {
        failedProbes = 0
        set('running', null)
        checkOwner(result)
        return
      }
      await new Promise((r) => setTimeout(r, 150))
    }
    if (child === started) {
      ring.push(`did not answer within ${(spec.startTimeoutMs ?? 30_000) / 1000} s; killing it`)
      started.kill('SIGKILL')
    }
  }

  function crashed(why: string): void {
    const now = Date.now()
    const delay = policy.next(now)
    const known = lastFailure ? ` Last known failure: ${describeFailure(lastFailure.kind)}.` : ''
    if (delay === null) {
      set(
        'needs_attention',
        `${spec.label} failed ${policy.recentCount(now)} times in the last hour and was not restarted again: ${why}.${known} Read ${spec.logFile}, fix the cause, then press Start.`
      )
      return
    }
    set('restarting', `${spec.label} stopped: ${why}.${known} Restarting in ${Math.round(delay / 100) / 10} s.`)
    if (restartTimer) clearTimeout(restartTimer)
    restartTimer = setTimeout(() => {
      restartTimer = null
      policy.record(Date.now())
      spawnChild()
    }, delay)
  }

  async function reconcileOnce(afterResume: boolean): Promise<void> {
    const mode = spec.mode()
    if (mode === 'off') {
      if (!child) set('off', null)
      return
    }
    if (state === 'restarting' || state === 'starting' || state === 'needs_attention') return
    const result = await probe()
    if (child) {
      if (result.ok) {
        failedProbes = 0
        checkOwner(result)
        if (state !== 'running') set('running', null)
        return
      }
      failedProbes++
      if (failedProbes >= 2 || afterResume) {
        ring.push(`health probe failed twice (${result.reason}); restarting`)
        failedProbes = 0
        // It does not answer, so it will not shut down politely either.
        await killChild(child, 0)
      }
      return
    }
    if (result.ok) {
      checkOwner(result)
      set('adopted', null)
      return
    }
    if (mode === 'adopt' || userStopped) {
      set(
        'stopped',
        userStopped
          ? 'Stopped by you.'
          : `${spec.label} is not running (${result.reason}); the app only watches it. Start it yourself, or set its supervisor mode to manage.`
      )
      return
    }
    spawnChild()
  }

  function reconcile(afterResume = false): Promise<void> {
    reconciling ??= reconcileOnce(afterResume).finally(() => (reconciling = null))
    return reconciling
  }

  function killChild(target: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
    return new Promise((resolve) => {
      if (target.exitCode !== null || target.signalCode !== null) return resolve()
      const force = setTimeout(() => target.kill('SIGKILL'), graceMs)
      target.once('exit', () => {
        clearTimeout(force)
        resolve()
      })
      target.kill('SIGTERM')
    })
  }

  function schedule(): void {
    if (probeTimer) clearTimeout(probeTimer)
    if (shuttingDown) return
    probeTimer = setTimeout(() => {
      void reconcile().finally(schedule)
    }, spec.probeIntervalMs())
    probeTimer.unref()
  }

  return {
    status,
    async reconcile(afterResume = false) {
      if (!probeTimer) schedule()
      await reconcile(afterResume)
    },
    async start() {
      userStopped = false
      if (state === 'needs_attention' || state === 'not_installed') {
        policy.reset()
        set('stopped', null)
      }
      if (!probeTimer) schedule()
      // A pass already running may have read the mode before it was changed to manage (setup does that, then starts).
      if (reconciling) await reconciling
      await reconcile()
    },
    async stop() {
      if (!child) {
        if (state === 'adopted')
          return {
            ok: false,
            message: `${spec.label} was already running when the app found it (not started by the app), so the app will not stop it. Quit it where it was started.`
          }
        userStopped = true
        if (restartTimer) clearTimeout(restartTimer)
        restartTimer = null
        set('stopped', 'Stopped by you.')
        return { ok: true }
      }
      userStopped = true
      if (restartTimer) clearTimeout(restartTimer)
      restartTimer = null
      await killChild(child)
      return { ok: true }
    },
    async restart() {
      if (state === 'adopted')
        return {
          ok: false,
          message: `${spec.label} was not started by the app, so the app cannot restart it. Quit it where it was started; the app will then start its own.`
        }
      if (restartTimer) clearTimeout(restartTimer)
      restartTimer = null
      policy.reset()
      userStopped = true
      if (child) await killChild(child)
      userStopped = false
      set('stopped', null)
      spawnChild()
      return { ok: true }
    },
    async shutdown() {
      shuttingDown = true
      if (probeTimer) clearTimeout(probeTimer)
      if (restartTimer) clearTimeout(restartTimer)
      if (child) await killChild(child)
      await new Promise<void>((resolve) => (log ? log.end(() => resolve()) : resolve()))
      log = null
    }
  }
}
