import type { Logger } from '../log/logger'
import { formatMb } from '../platform/storage-failure'
import type { SourceReport } from './health-monitor'

const MB = 1024 * 1024
/** Free space must climb this far above the pause threshold before work resumes, so it does not flap at the edge. */
const RESUME_MARGIN_BYTES = 16 * MB

export type DiskLevel = 'ok' | 'low' | 'paused' | 'unknown'

export interface DiskSample {
  readonly dir: string
  readonly freeBytes: number | null
  readonly level: DiskLevel
  readonly at: string
}

export interface DiskThresholds {
  /** Below this the worker starts nothing new (0: never). */
  readonly pauseBelowBytes: number
  /** Below this the checklist and health warn (taken as at least the pause threshold). */
  readonly warnBelowBytes: number
}

export interface DiskSpaceMonitorOptions {
  readonly dir: string
  readonly freeBytes: (dir: string) => Promise<number | null>
  readonly thresholds: () => DiskThresholds
  readonly log: Logger
  readonly now?: () => Date
}

/**
 * One service watching the free space of the disk holding the data dir. It
 * samples on a timer (statfs is cheap) and whenever asked, and turns the
 * reading into a level: ok, low (warn: the checklist and health say so),
 * paused (new tasks wait, through the worker's claim gate, until space
 * returns). Said in the log once per change, not once per sample.
 */
export function createDiskSpaceMonitor(options: DiskSpaceMonitorOptions) {
  const { dir, log } = options
  const now = options.now ?? (() => new Date())
  const listeners = new Set<(sample: DiskSample) => void>()
  let current: DiskSample = { dir, freeBytes: null, level: 'unknown', at: now().toISOString() }
  let timer: NodeJS.Timeout | null = null
  let sampling: Promise<DiskSample> | null = null

  function levelOf(free: number | null, before: DiskLevel): DiskLevel {
    if (free === null) return 'unknown'
    const { pauseBelowBytes, warnBelowBytes } = options.thresholds()
    if (pauseBelowBytes > 0) {
      if (free < pauseBelowBytes) return 'paused'
      if (before === 'paused' && free < pauseBelowBytes + RESUME_MARGIN_BYTES) return 'paused'
    }
    return free < Math.max(warnBelowBytes, pauseBelowBytes) ? 'low' : 'ok'
  }

  async function measure(): Promise<DiskSample> {
    const free = await options.freeBytes(dir)
    const level = levelOf(free, current.level)
    const before = current
    current = { dir, freeBytes: free, level, at: now().toISOString() }
    if (level !== before.level) {
      const fields = {
        dir,
        free_mb: free === null ? null : Math.round(free / MB),
        disk_level: level,
        was: before.level
      }
      if (level === 'paused') log.warn('disk nearly full: new tasks wait until space is freed', fields)
      else if (before.level === 'paused') log.info('disk space returned: tasks start again', fields)
      else log.info('disk space level changed', fields)
      for (const listener of listeners) listener(current)
    }
    return current
  }

  const monitor = {
    /** Measures now (one statfs at a time; callers meanwhile share it). */
    sample(): Promise<DiskSample> {
      sampling ??= measure().finally(() => {
        sampling = null
      })
      return sampling
    },
    current: (): DiskSample => current,
    /** Why new work waits, in words for the Tasks view; null while there is room. */
    pausedReason(): string | null {
      if (current.level !== 'paused') return null
      const { pauseBelowBytes } = options.thresholds()
      return `The disk holding ${dir} is nearly full (${formatMb(current.freeBytes ?? 0)} MB free, under disk.pauseBelowMb = ${formatMb(pauseBelowBytes)} MB): no new task starts until some space is freed.`
    },
    onChange(listener: (sample: DiskSample) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start(intervalMs: number): void {
      if (timer) return
      const tick = (): void => {
        void monitor.sample().finally(() => {
          if (timer) timer = setTimeout(tick, intervalMs)
        })
      }
      timer = setTimeout(tick, 0)
    },
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = null
    },
    /** The disk's part of the app's health. */
    health(): SourceReport {
      const free = current.freeBytes
      if (current.level === 'paused')
        return { component: 'disk', level: 'down', reasons: [monitor.pausedReason() ?? ''] }
      if (current.level === 'low' && free !== null) {
        return {
          component: 'disk',
          level: 'degraded',
          reasons: [
            `The disk holding ${dir} has ${formatMb(free)} MB free, under disk.warnBelowMb; free some space before the worker has to pause.`
          ]
        }
      }
      return { component: 'disk', level: 'ok', reasons: [] }
    }
  }
  return monitor
}

export type DiskSpaceMonitor = ReturnType<typeof createDiskSpaceMonitor>
