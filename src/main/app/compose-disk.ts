import { createDiskSpaceMonitor, type DiskThresholds } from '../health/disk-space-monitor'
import { freeBytes } from '../platform/storage-failure'
import type { Infrastructure, Lifecycle } from './composition-types'

const MB = 1024 * 1024
/** How often the free space of the data dir's disk is measured (one statfs). */
export const DISK_SAMPLE_MS = 2000

/** The free space of the data dir's disk against the thresholds of the settings, read again at each sample. */
export function composeDisk(infra: Pick<Infrastructure, 'config' | 'log' | 'dataDir'>, lifecycles: Lifecycle[]) {
  const { config } = infra
  const thresholds = (): DiskThresholds => ({
    pauseBelowBytes: config.get('disk.pauseBelowMb') * MB,
    warnBelowBytes: config.get('disk.warnBelowMb') * MB
  })
  const disk = createDiskSpaceMonitor({ dir: infra.dataDir.path, freeBytes, thresholds, log: infra.log })
  lifecycles.push({ stop: () => disk.stop() })
  return { disk, thresholds }
}
