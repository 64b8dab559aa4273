import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { memoryLogger } from '../test-support/memory-logger'
import { createHeldClaimsMark } from './held-claims-mark'

describe('the mark of claims held unwritten', () => {
  const tempDir = useTempDirs()

  it('tells the next start that the last run stopped while holding claims, once', () => {
    const path = join(tempDir(), 'kos.db-held')
    const { logger } = memoryLogger()
    expect(createHeldClaimsMark(path, logger).mark()).toBe(true)
    const next = createHeldClaimsMark(path, logger)
    expect(next.takeCrashed()).toBe(true)
    expect(next.takeCrashed()).toBe(false)
  })

  it('tells nothing after a clean stop, or when no claim was held', () => {
    const path = join(tempDir(), 'kos.db-held')
    const { logger } = memoryLogger()
    const run = createHeldClaimsMark(path, logger)
    expect(run.takeCrashed()).toBe(false)
    run.mark()
    run.clear()
    expect(createHeldClaimsMark(path, logger).takeCrashed()).toBe(false)
  })

  it('says it could not be written, naming the file, so the pool writes every claim instead', () => {
    const path = join(tempDir(), 'no such folder', 'kos.db-held')
    const { logger, records } = memoryLogger()
    expect(createHeldClaimsMark(path, logger).mark()).toBe(false)
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: 'held claims could not be marked; every claim is written before its run starts',
        path
      })
    )
  })
})
