import type { WebhookRequest } from './webhook-body'

/** What one POST came back with; a request that got no answer rejects instead. */
export interface PostAnswer {
  readonly status: number
  /** From a 429's or 503's Retry-After, when the endpoint said how long to wait. */
  readonly retryAfterMs: number | null
}

export type PostWebhook = (url: string, request: WebhookRequest, timeoutMs: number) => Promise<PostAnswer>

/** One POST with a deadline; the answer's body is discarded so the socket goes back to the pool. */
export const postWebhook: PostWebhook = async (url, request, timeoutMs) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'follow'
  })
  await response.body?.cancel().catch(() => undefined)
  return { status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) }
}

export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}
