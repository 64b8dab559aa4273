import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { linkAbort } from './abort-link'

describe('linkAbort', () => {
  it('aborts with the reason of whichever parent aborts first, and stops listening to the others', () => {
    const a = new AbortController()
    const b = new AbortController()
    const link = linkAbort([a.signal, undefined, b.signal])
    expect(link.signal.aborted).toBe(false)
    b.abort('b gave up')
    expect(link.signal.aborted).toBe(true)
    expect(link.signal.reason).toBe('b gave up')
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0)
    a.abort('too late')
    expect(link.signal.reason).toBe('b gave up')
  })

  it('starts aborted when a parent already is', () => {
    const a = new AbortController()
    a.abort('before')
    const later = new AbortController()
    const link = linkAbort([later.signal, a.signal])
    expect(link.signal.reason).toBe('before')
    expect(getEventListeners(later.signal, 'abort')).toHaveLength(0)
  })

  it('aborts on its own without touching the parents, and leaves them once released', () => {
    const parent = new AbortController()
    const own = linkAbort([parent.signal])
    own.abort('first token late')
    expect(own.signal.reason).toBe('first token late')
    expect(parent.signal.aborted).toBe(false)
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0)

    const released = linkAbort([parent.signal])
    released.release()
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0)
    parent.abort('after the request')
    expect(released.signal.aborted).toBe(false)
  })

  it('passes an abort down a chain of links, as a request to its attempts', () => {
    const caller = new AbortController()
    const request = linkAbort([caller.signal])
    const attempt = linkAbort([request.signal])
    caller.abort(new Error('closed the window'))
    expect(attempt.signal.reason).toEqual(new Error('closed the window'))
  })
})

describe('AbortLink.follow', () => {
  it('follows a parent added later like one given at the start, and ignores none', () => {
    const link = linkAbort([])
    link.follow(undefined)
    const caller = new AbortController()
    link.follow(caller.signal)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1)
    caller.abort('closed the window')
    expect(link.signal.reason).toBe('closed the window')
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
  })

  it('aborts at once on a parent that already is, and follows nothing once aborted', () => {
    const gone = new AbortController()
    gone.abort('before')
    const link = linkAbort([])
    link.follow(gone.signal)
    expect(link.signal.reason).toBe('before')
    const later = new AbortController()
    link.follow(later.signal)
    expect(getEventListeners(later.signal, 'abort')).toHaveLength(0)
  })

  it('stops following a later parent once released', () => {
    const link = linkAbort([])
    const caller = new AbortController()
    link.follow(caller.signal)
    link.release()
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
    caller.abort('after the request')
    expect(link.signal.aborted).toBe(false)
  })
})
