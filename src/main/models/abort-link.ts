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
  /**
   * Follows one more parent (none when undefined): aborts at once if it already is. The router
   * follows its caller's signal only once the request is on its way, so the request does not wait for it.
   */
  follow(parent: AbortSignal | undefined): void
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
  function follow(parent: AbortSignal | undefined): void {
    if (!parent || controller.signal.aborted) return
    if (parent.aborted) {
      release()
      controller.abort(parent.reason)
      return
    }
    parent.addEventListener('abort', onAbort, { once: true })
    followed.push(parent)
  }
  for (const parent of parents) follow(parent)
  return {
    signal: controller.signal,
    abort(reason) {
      release()
      controller.abort(reason)
    },
    follow,
    release
  }
}
