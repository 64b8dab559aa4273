import { basename, dirname } from 'node:path'
import type { ConfigService } from '../config/config-service'
import type { Logger } from '../log/logger'
import { rotateFolder } from '../log/file-rotation'

const EVERY_MS = 6 * 60 * 60 * 1000

/**
 * Keeps logs/ and exports/ within bounds: at start and every six hours it
 * gzips week-old files, deletes the oldest beyond the kept count, and warns in
 * the log when the total passes files.warnMb. The database is never touched.
 */
export function startHousekeeping(options: {
  logFile: string
  exportsDir: string
  config: ConfigService
  log: Logger
}): { stop(): void } {
  const { config, log } = options
  const sweep = async (): Promise<void> => {
    const policy = {
      keepNewest: config.get('files.keepNewest'),
      compressAfterDays: config.get('files.compressAfterDays'),
      warnBytes: config.get('files.warnMb') * 1024 * 1024
    }
    for (const [folder, active] of [
      [dirname(options.logFile), [basename(options.logFile)]],
      [options.exportsDir, []]
    ] as const) {
      const report = await rotateFolder(folder, { ...policy, activeNames: active }, new Date())
      if (report.compressed.length > 0 || report.deleted.length > 0)
        log.info('housekeeping', { folder, compressed: report.compressed, deleted: report.deleted })
      if (report.overBound)
        log.warn('files over their bound', { folder, bytes: report.totalBytes, bound_bytes: policy.warnBytes })
    }
  }
  const run = (): void => void sweep().catch((error: unknown) => log.error('housekeeping failed', { error }))
  run()
  const timer = setInterval(run, EVERY_MS)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
