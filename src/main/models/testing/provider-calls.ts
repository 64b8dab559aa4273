import { expect } from 'vitest'
import type { ModelProvider } from '../provider'
import { ProviderError } from '../provider-error'

/** The whole streamed answer of one chat call. */
export async function collect(
  provider: ModelProvider,
  prompt: string,
  model: string,
  signal: AbortSignal = new AbortController().signal
): Promise<string> {
  let out = ''
  for await (const t of provider.chat({ model, messages: [{ role: 'user', content: prompt }], signal })) out += t
  return out
}

/** The ProviderError a call fails with; fails the test if it succeeds or throws anything else. */
export async function failure(run: Promise<unknown>): Promise<ProviderError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}
