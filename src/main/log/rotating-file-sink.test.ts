import { readdirSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { createLogger } from './logger'
import { createRotatingFileSink } from './rotating-file-sink'

const tempDir = useTempDirs()

describe('rotating log file', () => {
  it('keeps at most maxFiles files of at most maxBytes each, newest lines in the current file', () => {
    const dir = tempDir()
    const sink = createRotatingFileSink({ dir, name: 'kos', maxBytes: 1000, maxFiles: 3 })
    const { logger } = createLogger(sink, 'info')
    for (let i = 0; i < 200; i++) logger.info('line', { i })
    sink.close()

    const files = readdirSync(dir).sort()
    expect(files).toEqual(['kos.1.log', 'kos.2.log', 'kos.log'])
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1000)
    const last = readFileSync(join(dir, 'kos.log'), 'utf8').trim().split('\n').at(-1)!
    expect(JSON.parse(last)).toMatchObject({ msg: 'line', i: 199 })
    const older = readFileSync(join(dir, 'kos.1.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { i: number }).i)
    const current = readFileSync(join(dir, 'kos.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { i: number }).i)
    expect(older.at(-1)! + 1).toBe(current[0])
  })

  it('appends to an existing file across restarts and counts its size', () => {
    const dir = tempDir()
    for (let run = 0; run < 2; run++) {
      const sink = createRotatingFileSink({ dir, name: 'kos', maxBytes: 10_000, maxFiles: 2 })
      createLogger(sink, 'info').logger.info('started', { run })
      sink.close()
    }
    expect(readFileSync(join(dir, 'kos.log'), 'utf8').trim().split('\n')).toHaveLength(2)
  })
})

describe('logger', () => {
  it('writes one JSON object per line with an ISO-8601 UTC time, the level and the correlation id', () => {
    const lines: string[] = []
    const { logger } = createLogger({ write: (l) => lines.push(l) }, 'info', () => new Date('2026-11-24T10:00:00Z'))
    logger.child({ correlation_id: 'c-1' }).warn('slow answer', { ms: 900 })
    expect(lines).toEqual([
      '{"ts":"2026-11-24T10:00:00.000Z","level":"warn","msg":"slow answer","correlation_id":"c-1","ms":900}\n'
    ])
  })

  it('drops lines under the level and follows a level change at once', () => {
    const lines: string[] = []
    const control = createLogger({ write: (l) => lines.push(l) }, 'warn')
    control.logger.info('hidden')
    control.setLevel('debug')
    control.logger.debug('shown')
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown'])
  })

  it('serializes errors with their message and stack', () => {
    const lines: string[] = []
    createLogger({ write: (l) => lines.push(l) }, 'info').logger.error('failed', { error: new Error('boom') })
    expect(JSON.parse(lines[0]!)).toMatchObject({ error: { name: 'Error', message: 'boom' } })
  })
})

describe('rotating log file on a full disk', () => {
  /** A disk that takes `room` more bytes, then answers ENOSPC (a write that does not fit is cut short, as write(2) does). */
  function fillingDisk(room: number) {
    const disk = { room, written: 0 }
    const writeFile = (fd: number, bytes: Uint8Array): number => {
      if (disk.room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      const n = Math.min(disk.room, bytes.length)
      disk.room -= n
      return writeSync(fd, bytes.subarray(0, n))
    }
    return { disk, writeFile }
  }

  it('never throws into the caller while the disk is full, counts the lost lines and says so in one warning once space returns', () => {
    const dir = tempDir()
    const { disk, writeFile } = fillingDisk(250)
    const sink = createRotatingFileSink({ dir, name: 'kos', maxBytes: 1_000_000, maxFiles: 2, writeFile })
    const { logger } = createLogger(sink, 'info')
    for (let i = 0; i < 10; i++) expect(() => logger.info('line while filling', { i })).not.toThrow()
    expect(sink.dropped).toBeGreaterThan(0)
    const lost = sink.dropped
    disk.room = 1_000_000
    logger.info('after space returned')
    sink.close()

    const lines = readFileSync(join(dir, 'kos.log'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
    // Every whole line parses; the one cut short by the full disk stands alone on its line.
    const parsed = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as { msg: string; dropped?: number; error?: string }]
      } catch {
        return []
      }
    })
    expect(lines.length - parsed.length).toBeLessThanOrEqual(1)
    const warnings = parsed.filter((l) => l.msg.startsWith('log lines were dropped'))
    expect(warnings).toEqual([expect.objectContaining({ dropped: lost, error: 'ENOSPC' })])
    expect(parsed.at(-1)?.msg).toBe('after space returned')
    expect(sink.dropped).toBe(0)
  })

  it('drops every line on a disk with no room at all, and writes again once it can', () => {
    const dir = tempDir()
    const { disk, writeFile } = fillingDisk(0)
    const sink = createRotatingFileSink({ dir, name: 'kos', maxBytes: 100, maxFiles: 3, writeFile })
    const { logger } = createLogger(sink, 'info')
    for (let i = 0; i < 5; i++) logger.info('x'.repeat(60), { i })
    expect(sink.dropped).toBe(5)
    disk.room = 10_000
    logger.info('back')
    sink.close()
    const all = readdirSync(dir).flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
    )
    expect(all.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'log lines were dropped: the disk could not take them',
      'back'
    ])
  })
})

describe('logger given a field it cannot serialize', () => {
  it('writes the line without its fields instead of throwing', () => {
    const lines: string[] = []
    const cycle: Record<string, unknown> = {}
    cycle['self'] = cycle
    const { logger } = createLogger({ write: (l) => lines.push(l) }, 'info')
    expect(() => logger.warn('odd', { cycle })).not.toThrow()
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'odd', unserializable: expect.stringContaining('circular') })
  })
})
