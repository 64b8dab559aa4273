import { readdirSync, readFileSync, statSync } from 'node:fs'
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
    const older = readFileSync(join(dir, 'kos.1.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { i: number }).i)
    const current = readFileSync(join(dir, 'kos.log'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { i: number }).i)
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
    expect(lines).toEqual(['{"ts":"2026-11-24T10:00:00.000Z","level":"warn","msg":"slow answer","correlation_id":"c-1","ms":900}\n'])
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
