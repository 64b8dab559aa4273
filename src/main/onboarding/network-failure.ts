/**
 * What a failed request says about the network, in a person's words:
 * "connection refused", "the name could not be resolved", "no answer within
 * 30 s". Node's fetch hides the socket's code under `cause` (and under an
 * AggregateError's `errors` when both IPv4 and IPv6 were tried), so the
 * whole chain is searched. Null when the failure is not about reaching the
 * server (an HTTP status, a bad file), which the caller words itself.
 */
export function networkFailureOf(error: unknown, timeoutMs: number): string | null {
  for (const e of chain(error)) {
    if (e instanceof Error && e.name === 'TimeoutError') return `no answer within ${seconds(timeoutMs)}`
    const words = wordsFor(codeOf(e), timeoutMs)
    if (words) return words
  }
  // Some clients (the model downloader among them) keep only the code in the message.
  const text = chain(error)
    .map((e) => (e instanceof Error ? e.message : ''))
    .join(' ')
  return wordsFor(Object.keys(CODE_WORDS).find((code) => text.includes(code)) ?? null, timeoutMs)
}

function wordsFor(code: string | null, timeoutMs: number): string | null {
  const words = code === null ? undefined : CODE_WORDS[code]
  return words === undefined ? null : words.replace('{timeout}', seconds(timeoutMs))
}

/** The sentence an unreachable server gets: the host, why, and what to do. */
export function unreachableMessage(url: string, why: string): string {
  return `Could not reach ${hostOf(url)}: ${why}. Check the network, then Retry.`
}

const CODE_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'its name could not be resolved (DNS)',
  EAI_AGAIN: 'its name could not be resolved (DNS)',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'no answer within {timeout}',
  UND_ERR_CONNECT_TIMEOUT: 'no answer within {timeout}',
  UND_ERR_HEADERS_TIMEOUT: 'no answer within {timeout}',
  UND_ERR_SOCKET: 'the connection was cut'
}

function chain(error: unknown): unknown[] {
  const seen: unknown[] = []
  const queue: unknown[] = [error]
  while (queue.length > 0 && seen.length < 20) {
    const e = queue.shift()
    if (e === undefined || e === null || seen.includes(e)) continue
    seen.push(e)
    if (e instanceof AggregateError) queue.push(...e.errors)
    if (e instanceof Error && e.cause !== undefined) queue.push(e.cause)
  }
  return seen
}

function codeOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null
  return typeof error.code === 'string' ? error.code : null
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`
