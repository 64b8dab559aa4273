/**
 * An abort signal that follows its parents, for the request hot path.
 * `AbortSignal.any` costs ~50 µs a call on Node 20 (three times that nested)
 * and leaves weak references for the GC to sweep; a listener on each parent,
 * removed when the request ends, does the same job in a few microseconds.
 */
export interface AbortLink {
  readonly signal: AbortSignal
  /** Aborts this link (and whatever follows it) with the reason given. */
  abort(reason: unknown): void
  /** Stops following the parents; call once the request is over. */
  release(): void
}

export function linkAbort(parents: readonly (AbortSignal | undefined)[]): AbortLink {
  const controller = new AbortController()
  const followed: AbortSignal[] = []
  const onAbort = function (this: AbortSignal): void {
    release()
    controller.abort(this.reason)
  }
  function release(): void {
    for (const parent of followed) parent.removeEventListener('abort', onAbort)
    followed.length = 0
  }
  for (const parent of parents) {
    if (!parent) continue
    if (parent.aborted) {
      release()
      controller.abort(parent.reason)
      break
    }
    parent.addEventListener('abort', onAbort, { once: true })
    followed.push(parent)
  }
  return {
    signal: controller.signal,
    abort(reason) {
      release()
      controller.abort(reason)
    },
    release
  }
}
