import { describe, expect, it } from 'vitest'
import type { CheckDefinition } from '../check-definition'
import { storageChecks, type StorageCheckDeps } from './storage-checks'

const MB = 1024 * 1024

function check(id: string, deps: Partial<StorageCheckDeps>): CheckDefinition {
  const all = storageChecks({
    dataDir: '/data',
    freeBytes: async () => 5000 * MB,
    thresholds: () => ({ pauseBelowBytes: 256 * MB, warnBelowBytes: 1024 * MB }),
    checkFullTextIndex: async () => ({ ok: true, chunks: 12_345 }),
    ...deps
  })
  return all.find((c) => c.id === id)!
}

const run = (c: CheckDefinition) => c.run(new AbortController().signal)

describe('storage checks', () => {
  it('warns before the worker pauses, and fails once it has', async () => {
    expect(await run(check('app.disk-free', {}))).toMatchObject({
      status: 'pass',
      evidence: '4.9 GiB free; warn under 1.0 GiB, new tasks pause under 256.0 MiB'
    })
    expect(await run(check('app.disk-free', { freeBytes: async () => 600 * MB }))).toMatchObject({ status: 'warn' })
    expect(await run(check('app.disk-free', { freeBytes: async () => 100 * MB }))).toMatchObject({
      status: 'fail',
      evidence: expect.stringContaining('the worker is paused')
    })
    expect(await run(check('app.disk-free', { freeBytes: async () => null }))).toMatchObject({
      status: 'fail',
      evidence: 'the free space of /data cannot be measured'
    })
  })

  it('fails a damaged full-text index with its reason and offers the rebuild as a fix', async () => {
    const fts = check('knowledge.fts-integrity', {
      checkFullTextIndex: async () => ({ ok: false, reason: '3 stored chunks are not in the index' })
    })
    expect(fts.fix).toBe('rebuild-search-index')
    expect(await run(fts)).toEqual({
      status: 'fail',
      evidence: 'the full-text index failed its check: 3 stored chunks are not in the index'
    })
    expect(await run(check('knowledge.fts-integrity', {}))).toEqual({
      status: 'pass',
      evidence: 'index sound; 12,345 chunks stored, each indexed once'
    })
  })
})
