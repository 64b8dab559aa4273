import { describe, expect, it, vi } from 'vitest'
import { tokenQueue } from './token-queue'

const read = async (queue: AsyncIterator<string>): Promise<string[]> => {
  const out: string[] = []
  for await (const t of { [Symbol.asyncIterator]: () => queue }) out.push(t)
  return out
}

describe('token queue', () => {
  it('hands out tokens pushed before and while the reader waits, in order, then ends', async () => {
    const queue = tokenQueue(() => undefined)
    queue.push('a')
    queue.push('b')
    const reading = read(queue)
    await Promise.resolve()
    queue.push('c')
    queue.end()
    queue.push('after the end')
    expect(await reading).toEqual(['a', 'b', 'c'])
  })

  it('throws a failure once, after the tokens queued before it', async () => {
    const queue = tokenQueue(() => undefined)
    queue.push('a')
    queue.fail(new Error('cut'))
    queue.end()
    await expect(queue.next()).resolves.toEqual({ value: 'a', done: false })
    await expect(queue.next()).rejects.toThrow('cut')
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true })
  })

  it('rejects the pending read when it fails while the reader waits', async () => {
    const queue = tokenQueue(() => undefined)
    const pending = queue.next()
    queue.fail(new Error('refused'))
    await expect(pending).rejects.toThrow('refused')
  })

  it('stops the request when the reader stops early, and not after the answer ended', async () => {
    const stop = vi.fn()
    const queue = tokenQueue(stop)
    queue.push('a')
    queue.push('b')
    for await (const t of { [Symbol.asyncIterator]: () => queue }) if (t === 'a') break
    expect(stop).toHaveBeenCalledTimes(1)
    expect(queue.finished).toBe(true)

    const ended = tokenQueue(stop)
    ended.push('x')
    ended.end()
    expect(await read(ended)).toEqual(['x'])
    await ended.return?.()
    expect(stop).toHaveBeenCalledTimes(1)
  })

  it('leaves no unhandled rejection for a failure nobody reads', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      tokenQueue(() => undefined).fail(new Error('nobody reads this'))
      await new Promise((r) => setImmediate(r))
      expect(unhandled).not.toHaveBeenCalled()
    } finally {
      process.off('unhandledRejection', unhandled)
    }
  })
})
