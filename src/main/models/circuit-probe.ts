import { isEcho } from './echo'
import { failureLabel } from './failure-blame'
import type { ModelProvider } from './provider'
import { toProviderError } from './provider-error'
import type { AttemptFailureKind } from './route-error'

export const PROBE_PROMPT = 'Reply with the single word OK.'
// A model in memory answers one token in well under this; one that must load first gets the load buffer.
const LOADED_PROBE_MS = 15_000

export type ProbeOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly failure: string; readonly kind: AttemptFailureKind; readonly message: string }

/**
 * One tiny real generation: the only proof that a node/model whose every
 * request failed answers again. Listing models is not enough (a server that
 * answers /api/tags can fail every generation).
 */
export async function probeGeneration(
  provider: ModelProvider,
  model: string,
  opts: { loaded: boolean; loadBufferMs: number; keepAlive: string }
): Promise<ProbeOutcome> {
  const signal = AbortSignal.timeout(opts.loaded ? LOADED_PROBE_MS : opts.loadBufferMs)
  let text = ''
  try {
    for await (const token of provider.chat({
      model,
      messages: [{ role: 'user', content: PROBE_PROMPT }],
      signal,
      keepAlive: opts.keepAlive,
      maxTokens: 4
    }))
      text += token
  } catch (error) {
    const e = toProviderError(error, signal, model)
    const kind = e.kind === 'aborted' ? 'timeout' : e.kind
    return { ok: false, failure: failureLabel(kind, e), kind, message: e.message }
  }
  if (text.trim() === '')
    return { ok: false, failure: failureLabel('empty'), kind: 'empty', message: 'the probe’s answer was empty' }
  if (isEcho(PROBE_PROMPT, text))
    return { ok: false, failure: failureLabel('echo'), kind: 'echo', message: 'the probe’s answer repeated the prompt' }
  return { ok: true }
}
