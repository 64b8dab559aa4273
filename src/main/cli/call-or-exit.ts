import type { KosClient } from '../../shared/contract/client'
import type { CallInput, CallName, CallOutput } from '../../shared/contract/contract'
import type { RpcErrorCode } from '../../shared/contract/rpc-error'
import type { CommandContext } from './command-context'

/** sysexits-style codes for a refused call, so scripts can tell bad input from a sick app. */
export const EXIT_FOR_ERROR: Readonly<Record<RpcErrorCode, number>> = {
  bad_request: 64,
  invalid_input: 65,
  unknown_call: 64,
  not_found: 66,
  unauthorized: 77,
  forbidden: 77,
  conflict: 75,
  too_large: 65,
  rate_limited: 75,
  unavailable: 69,
  internal: 70
}

export type Called<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly exitCode: number }

/** Makes a call; a refusal is printed (as JSON with --json) and turned into its exit code. */
export async function callOrExit<N extends CallName>(
  ctx: CommandContext,
  client: KosClient,
  name: N,
  input: CallInput<N>
): Promise<Called<CallOutput<N>>> {
  const result = await client.call(name, input)
  if (result.ok) return result
  if (ctx.args.json) ctx.out(JSON.stringify({ error: result.error }))
  else ctx.err(result.error.message)
  return { ok: false, exitCode: EXIT_FOR_ERROR[result.error.code] }
}
