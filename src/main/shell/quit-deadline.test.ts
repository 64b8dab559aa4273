import { describe, expect, it, vi } from 'vitest'
import type { Logger } from '../log/logger'
import { denyAllPermissions, type PermissionSessionLike } from './permissions'
import { stopWithin } from './quit-deadline'

function recordingLog() {
  const lines: { level: string; msg: string; fields?: unknown }[] = []
  const log: Logger = {
    debug: (msg, fields) => void lines.push({ level: 'debug', msg, fields }),
    info: (msg, fields) => void lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => void lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => void lines.push({ level: 'error', msg, fields }),
    child: () => log
  }
  return { log, lines }
}

describe('quitting', () => {
  it('waits for the core when it stops in time, and logs nothing', async () => {
    const { log, lines } = recordingLog()
    await expect(stopWithin(async () => undefined, { deadlineMs: 15_000, log })).resolves.toBe('stopped')
    expect(lines).toEqual([])
  })

  it('gives up on a core that hangs at the deadline, and says so in the log', async () => {
    vi.useFakeTimers()
    try {
      const { log, lines } = recordingLog()
      const outcome = stopWithin(() => new Promise<void>(() => undefined), { deadlineMs: 15_000, log })
      await vi.advanceTimersByTimeAsync(14_999)
      expect(lines).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      await expect(outcome).resolves.toBe('deadline')
      expect(lines).toEqual([
        {
          level: 'warn',
          msg: 'the core did not stop within the quit deadline; quitting anyway',
          fields: { deadlineMs: 15_000 }
        }
      ])
    } finally {
      vi.useRealTimers()
    }
  })

  it('quits when stopping the core fails, with the error in the log', async () => {
    const { log, lines } = recordingLog()
    await expect(
      stopWithin(async () => Promise.reject(new Error('SQLITE_IOERR')), { deadlineMs: 15_000, log })
    ).resolves.toBe('failed')
    expect(lines).toEqual([
      { level: 'error', msg: 'the core failed while stopping; quitting anyway', fields: { error: 'SQLITE_IOERR' } }
    ])
  })
})

describe('permissions', () => {
  it('refuses every request and check, logging each permission once', () => {
    const { log, lines } = recordingLog()
    let request: Parameters<PermissionSessionLike['setPermissionRequestHandler']>[0] = null
    let check: Parameters<PermissionSessionLike['setPermissionCheckHandler']>[0] = null
    denyAllPermissions(
      { setPermissionRequestHandler: (h) => void (request = h), setPermissionCheckHandler: (h) => void (check = h) },
      log
    )
    const answers: boolean[] = []
    for (const permission of ['media', 'geolocation', 'media'])
      request!({}, permission, (granted) => answers.push(granted), { requestingUrl: 'file:///app/index.html' })
    expect(answers).toEqual([false, false, false])
    expect(check!({}, 'clipboard-read', 'file://')).toBe(false)
    expect(lines.map((l) => l.fields)).toEqual([
      { permission: 'media', url: 'file:///app/index.html' },
      { permission: 'geolocation', url: 'file:///app/index.html' }
    ])
  })
})
