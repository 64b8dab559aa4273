import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import { createDiskSpaceMonitor, type DiskSample } from './disk-space-monitor'

const MB = 1024 * 1024

function monitorOn(disk: { free: number | null }) {
  const { logger, records } = memoryLogger()
  const monitor = createDiskSpaceMonitor({
    dir: '/data',
    freeBytes: async () => disk.free,
    thresholds: () => ({ pauseBelowBytes: 100 * MB, warnBelowBytes: 500 * MB }),
    log: logger
  })
  const changes: DiskSample[] = []
  monitor.onChange((sample) => changes.push(sample))
  return { monitor, records, changes }
}

describe('disk space monitor', () => {
  it('warns below the warning threshold, pauses below the pause threshold, and resumes only with a margin above it', async () => {
    const disk = { free: (2000 * MB) as number | null }
    const { monitor, changes, records } = monitorOn(disk)
    expect((await monitor.sample()).level).toBe('ok')
    disk.free = 300 * MB
    expect((await monitor.sample()).level).toBe('low')
    expect(monitor.health()).toMatchObject({
      component: 'disk',
      level: 'degraded',
      reasons: [expect.stringContaining('300 MB free, under disk.warnBelowMb')]
    })
    expect(monitor.pausedReason()).toBeNull()

    disk.free = 40 * MB
    expect((await monitor.sample()).level).toBe('paused')
    expect(monitor.pausedReason()).toBe(
      'The disk holding /data is nearly full (40 MB free, under disk.pauseBelowMb = 100 MB): no new task starts until some space is freed.'
    )
    expect(monitor.health()).toMatchObject({ level: 'down' })
    // Just over the threshold is not enough: it would pause again at the next write.
    disk.free = 105 * MB
    expect((await monitor.sample()).level).toBe('paused')
    disk.free = 900 * MB
    expect((await monitor.sample()).level).toBe('ok')
    expect(monitor.pausedReason()).toBeNull()

    expect(changes.map((c) => c.level)).toEqual(['ok', 'low', 'paused', 'ok'])
    expect(records.filter((r) => r.level === 'warn').map((r) => r.msg)).toEqual([
      'disk nearly full: new tasks wait until space is freed'
    ])
    expect(records.map((r) => r.msg)).toContain('disk space returned: tasks start again')
  })

  it('never pauses with a pause threshold of 0, and says unknown when statfs fails', async () => {
    const disk = { free: 0 as number | null }
    const { logger } = memoryLogger()
    const monitor = createDiskSpaceMonitor({
      dir: '/d',
      freeBytes: async () => disk.free,
      thresholds: () => ({ pauseBelowBytes: 0, warnBelowBytes: 10 * MB }),
      log: logger
    })
    expect((await monitor.sample()).level).toBe('low')
    disk.free = null
    expect((await monitor.sample()).level).toBe('unknown')
    expect(monitor.pausedReason()).toBeNull()
  })

  it('samples on its timer until stopped', async () => {
    let reads = 0
    const { logger } = memoryLogger()
    const monitor = createDiskSpaceMonitor({
      dir: '/d',
      freeBytes: async () => (reads++, 10_000 * MB),
      thresholds: () => ({ pauseBelowBytes: MB, warnBelowBytes: MB }),
      log: logger
    })
    const changed = new Promise<void>((resolve) => monitor.onChange(() => resolve()))
    monitor.start(5)
    await changed
    while (reads < 3) await new Promise((resolve) => setTimeout(resolve, 5))
    monitor.stop()
    const after = reads
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(reads).toBeLessThanOrEqual(after + 1)
  })
})
