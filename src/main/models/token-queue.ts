/**
 * An answer's tokens as a stream's events hand them over, read with for-await. A hand-written
 * iterator rather than an async generator: a token pushed while the reader waits settles its
 * pending next() at once, with no generator hop of its own on the way to the router (which reads
 * every token of every answer through one).
 *
 * Tokens pushed before the reader asks are queued, and handed out before the end or the failure
 * that followed them. A failure is thrown to the reader once, from the next() that reaches it, so a
 * failure nobody reads is no unhandled rejection.
 */
export interface TokenQueue extends AsyncIterator<string> {
  push(token: string): void
  /** The answer is complete: after the queued tokens, the reader's loop ends. */
  end(): void
  /** The answer failed: after the queued tokens, the reader's next() rejects with `error`. */
  fail(error: unknown): void
  /** Whether end() or fail() was called, or the reader stopped. */
  readonly finished: boolean
}

const DONE: IteratorResult<string> = Object.freeze({ value: undefined, done: true })

/** `stop` is called when the reader stops before the end (break, throw, return()), to cut the request. */
export function tokenQueue(stop: () => void): TokenQueue {
  let queued: string[] = []
  let head = 0
  let waiting: { resolve: (r: IteratorResult<string>) => void; reject: (e: unknown) => void } | null = null
  let finished = false
  let failed = false
  let failure: unknown = undefined

  const take = (): IteratorResult<string> => {
    const value = queued[head++] as string
    if (head === queued.length) {
      queued = []
      head = 0
    }
    return { value, done: false }
  }

  return {
    get finished() {
      return finished
    },
    push(token) {
      if (finished) return
      if (waiting) {
        const w = waiting
        waiting = null
        w.resolve({ value: token, done: false })
      } else queued.push(token)
    },
    end() {
      if (finished) return
      finished = true
      if (waiting) {
        const w = waiting
        waiting = null
        w.resolve(DONE)
      }
    },
    fail(error) {
      if (finished) return
      finished = true
      failed = true
      failure = error
      if (waiting) {
        const w = waiting
        waiting = null
        failed = false
        w.reject(error)
      }
    },
    next() {
      if (head < queued.length) return Promise.resolve(take())
      if (failed) {
        failed = false
        return Promise.reject(failure)
      }
      if (finished) return Promise.resolve(DONE)
      return new Promise((resolve, reject) => (waiting = { resolve, reject }))
    },
    return() {
      if (!finished) {
        finished = true
        stop()
      }
      queued = []
      head = 0
      failed = false
      return Promise.resolve(DONE)
    }
  }
}
