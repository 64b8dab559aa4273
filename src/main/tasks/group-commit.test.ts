import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../test-support/memory-logger'
import type { TaskEvent } from '../../shared/contract/tasks-contract'
import { createGroupCommit } from './group-commit'

const event = (taskId: string): TaskEvent => ({
  seq: 1,
  taskId,
  kind: 'completed',
  status: 'completed',
  attempt: 1,
  message: null,
  errorType: null,
  at: '2026-11-24T12:00:00.000Z'
})
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('group commit', () => {
  function harness(options: { failCommit?: boolean } = {}) {
    const flushes: ((error: Error | null) => void)[] = []
    const published: string[] = []
    const log: string[] = []
    let transactions = 0
    const group = createGroupCommit({
      transaction: (fn) => {
        transactions++
        const result = fn()
        if (options.failCommit) throw new Error('SQLITE_FULL: database or disk is full')
        return result
      },
      wal: { commitUnflushed: (fn) => fn(), whenDurable: (done) => void flushes.push(done) },
      describe: (changes) => ({
        tasks: [],
        counts: { pending: changes.length, in_progress: 0, completed: 0, failed: 0, deferred_to_human: 0, cancelled: 0 }
      }),
      publish: (events) => published.push(...events.map((e) => e.taskId)),
      log: memoryLogger().logger,
      begin: () => undefined,
      finish: () => () => log.push('claimed tasks started')
    })
    return { group, flushes, published, log, transactions: () => transactions }
  }

  it('commits the writes of one turn together, and acknowledges them only once the WAL is on disk', async () => {
    const h = harness()
    const done: string[] = []
    h.group.write(
      (changes) => changes.push(event('a')),
      () => done.push('a'),
      () => done.push('a failed')
    )
    h.group.write(
      (changes) => changes.push(event('b')),
      () => done.push('b'),
      () => done.push('b failed')
    )
    await nextTurn()
    expect(h.transactions()).toBe(1)
    expect(h.log).toEqual(['claimed tasks started'])
    expect(done).toEqual([])
    expect(h.published).toEqual([])
    h.flushes.shift()?.(null)
    expect(h.published).toEqual(['a', 'b'])
    expect(done).toEqual(['a', 'b'])
  })

  it('tells every write of a group that did not commit, and publishes nothing of it', async () => {
    const h = harness({ failCommit: true })
    const outcome = h.group.commit((changes) => changes.push(event('a')))
    await expect(outcome).rejects.toThrow('SQLITE_FULL')
    expect(h.published).toEqual([])
    expect(h.flushes).toEqual([])
    expect(h.log).toEqual([])
  })

  it('fails the writes of a group whose flush failed, and publishes nothing of it', async () => {
    const h = harness()
    const outcome = h.group.commit((changes) => changes.push(event('a')))
    await nextTurn()
    h.flushes.shift()?.(new Error('EIO: i/o error, fsync'))
    await expect(outcome).rejects.toThrow('EIO')
    expect(h.published).toEqual([])
  })

  it('asks no flush of a group that changed nothing, as an idle pool polling for work makes every second', async () => {
    const h = harness()
    h.group.schedule()
    await nextTurn()
    expect(h.transactions()).toBe(1)
    expect(h.flushes).toEqual([])
    expect(h.log).toEqual(['claimed tasks started'])
  })
})
