import { createClient, type KosClient } from '../../shared/contract/client'
import { isCallName, type CallName, type CallOutput } from '../../shared/contract/contract'
import { rpcError } from '../../shared/contract/rpc-error'
import type { EventFrame } from '../../shared/contract/wire'

export type Answers = Partial<{ [N in CallName]: (input: unknown) => CallOutput<N> }>

/**
 * A `KosClient` whose calls are answered by `answers` (any other call is
 * `unavailable`) and whose events are whatever the test pushes, for parts
 * that read the core through its client.
 */
export function answeringClient(answers: Answers): {
  client: KosClient
  push(frame: EventFrame): void
  calls: CallName[]
} {
  const listeners = new Set<(frame: EventFrame) => void>()
  const calls: CallName[] = []
  const client = createClient({
    async call(name, input) {
      const answer = isCallName(name) ? answers[name] : undefined
      if (isCallName(name)) calls.push(name)
      return answer
        ? { ok: true, value: answer(input) }
        : { ok: false, error: rpcError('unavailable', `${name} not answered here`) }
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onStatus(listener) {
      listener('connected')
      return () => undefined
    }
  })
  return {
    client,
    calls,
    push: (frame) => {
      for (const listener of listeners) listener(frame)
    }
  }
}
