import { describe, expect, it } from 'vitest'
import { networkFailureOf, unreachableMessage } from './network-failure'

/** The shape Node's fetch throws: a TypeError whose cause carries the socket's code. */
const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause })
const withCode = (code: string): Error => Object.assign(new Error(`getaddrinfo ${code} huggingface.co`), { code })

describe('networkFailureOf', () => {
  it('words a refused connection, a DNS failure and a timeout found under fetch’s cause', () => {
    expect(networkFailureOf(fetchFailed(withCode('ECONNREFUSED')), 30_000)).toBe('connection refused')
    expect(networkFailureOf(fetchFailed(withCode('ENOTFOUND')), 30_000)).toBe('its name could not be resolved (DNS)')
    expect(networkFailureOf(fetchFailed(withCode('EAI_AGAIN')), 30_000)).toBe('its name could not be resolved (DNS)')
    expect(networkFailureOf(fetchFailed(withCode('UND_ERR_CONNECT_TIMEOUT')), 10_000)).toBe('no answer within 10 s')
    expect(networkFailureOf(new DOMException('The operation timed out', 'TimeoutError'), 1_500)).toBe(
      'no answer within 1.5 s'
    )
  })

  it('finds the code inside an AggregateError (IPv6 and IPv4 both tried) and in a message that keeps only the code', () => {
    const both = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed')
    expect(networkFailureOf(fetchFailed(both), 30_000)).toBe('connection refused')
    expect(networkFailureOf(new Error('request to host failed, reason: connect ENETUNREACH'), 30_000)).toBe(
      'the network is unreachable'
    )
  })

  it('leaves a failure that is not about reaching the server to the caller', () => {
    expect(networkFailureOf(new Error('HTTP 404 Not Found'), 30_000)).toBeNull()
    expect(networkFailureOf('a string', 30_000)).toBeNull()
    const loop: Error & { cause?: unknown } = new Error('loop')
    loop.cause = loop
    expect(networkFailureOf(loop, 30_000)).toBeNull()
  })
})

describe('unreachableMessage', () => {
  it('names the host, the reason and what to do', () => {
    expect(unreachableMessage('https://huggingface.co/x/resolve/main/m.gguf', 'connection refused')).toBe(
      'Could not reach huggingface.co: connection refused. Check the network, then Retry.'
    )
  })
})
