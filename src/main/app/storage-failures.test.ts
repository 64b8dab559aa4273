import { describe, expect, it } from 'vitest'
import { RpcFailure } from '../../shared/contract/rpc-error'
import { createDispatcher } from '../rpc/dispatcher'
import type { Handlers } from '../rpc/handler-types'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { describeStorageFailure, storageFailureOf } from '../platform/storage-failure'
import { withStorageFailures } from './storage-failures'

const tempDir = useTempDirs()
const FULL = new Set(['read', 'write'] as const)

function failingWith(error: unknown): Handlers {
  return { 'app.info': () => Promise.reject(error) } as unknown as Handlers
}

describe('a refused write crossing the boundary', () => {
  it.each([
    [
      'SQLite reports the disk full',
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      /^The disk holding .+ is full: \d+(\.\d)? MB free — free some space/
    ],
    [
      'fs reports ENOSPC',
      Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        path: '/nowhere/settings.json'
      }),
      /^The disk holding \/nowhere is full: free space unknown — free some space/
    ],
    [
      'the disk is read-only',
      Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }),
      /refuses writes \(EROFS\)/
    ]
  ])('is a typed unavailable error naming the folder and the free space when %s', async (_what, error, message) => {
    const dir = tempDir()
    const dispatcher = createDispatcher(withStorageFailures(failingWith(error), dir), memoryLogger().logger)
    const result = await dispatcher.call('app.info', {}, { scopes: FULL, transport: 'http' })
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', call: 'app.info' } })
    if (!result.ok) {
      expect(result.error.message).toMatch(message)
      if (!(error as { path?: string }).path) expect(result.error.message).toContain(dir)
    }
  })

  it('leaves every other failure alone: typed refusals pass through, bugs stay internal', async () => {
    const dir = tempDir()
    const bug = createDispatcher(
      withStorageFailures(failingWith(new TypeError('x is undefined')), dir),
      memoryLogger().logger
    )
    expect(await bug.call('app.info', {}, { scopes: FULL, transport: 'http' })).toMatchObject({
      ok: false,
      error: { code: 'internal' }
    })
    const refusal = new RpcFailure({ code: 'not_found', message: 'gone' })
    const typed = createDispatcher(withStorageFailures(failingWith(refusal), dir), memoryLogger().logger)
    expect(await typed.call('app.info', {}, { scopes: FULL, transport: 'http' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'gone' }
    })
  })
})

describe('storage failure classification', () => {
  it('tells full, read-only and SQLite I/O errors apart and ignores everything else', () => {
    expect(storageFailureOf({ code: 'SQLITE_FULL' })?.kind).toBe('full')
    expect(storageFailureOf({ code: 'EDQUOT' })?.kind).toBe('full')
    expect(storageFailureOf({ code: 'SQLITE_READONLY_DBMOVED' })?.kind).toBe('read_only')
    expect(storageFailureOf({ code: 'EACCES', path: '/x/instance.json' })).toEqual({
      kind: 'read_only',
      code: 'EACCES',
      path: '/x/instance.json',
      detail: null
    })
    expect(storageFailureOf({ code: 'SQLITE_IOERR_SHMSIZE' })?.kind).toBe('io')
    expect(storageFailureOf({ code: 'SQLITE_CONSTRAINT' })).toBeNull()
    expect(storageFailureOf(new Error('plain'))).toBeNull()
    expect(storageFailureOf('ENOSPC')).toBeNull()
  })

  it('reads an I/O error on a nearly full disk as a full disk, and otherwise as an I/O error with the free space', () => {
    const io = { kind: 'io', code: 'SQLITE_IOERR_WRITE', path: null, detail: null } as const
    expect(describeStorageFailure(io, '/data', 3 * 1024 * 1024)).toMatch(
      /^The disk holding \/data is full: 3\.0 MB free — free some space/
    )
    expect(describeStorageFailure(io, '/data', 900 * 1024 * 1024)).toMatch(
      /^A write to the disk holding \/data failed \(SQLITE_IOERR_WRITE, 900 MB free\)/
    )
  })

  it('ends with what the failing operation says it had done', () => {
    const failure = storageFailureOf({ code: 'SQLITE_FULL', detail: '3 of 9 files were imported.' })!
    expect(describeStorageFailure(failure, '/data', 0)).toMatch(
      /^The disk holding \/data is full: 0\.0 MB free — free some space; .+ \(SQLITE_FULL\)\. 3 of 9 files were imported\.$/
    )
  })
})
