import { rpcError, type RpcErrorCode, type RpcIssue } from '../../shared/contract/rpc-error'
import type { RpcError } from '../../shared/contract/rpc-error'

/**
 * A call the core declines, as a value: what a handler returns when its
 * service's typed outcome says no (a duplicate task, a missing document). The
 * dispatcher is the one place that turns it into the RpcError the caller
 * gets; nothing is thrown for a refusal a person can act on.
 */
export class Refusal {
  constructor(readonly error: RpcError) {}
}

/** A refusal with its code and a message that names the thing, the value and what to do. */
export function refuse(code: RpcErrorCode, message: string, extra: { issues?: readonly RpcIssue[] } = {}): Refusal {
  return new Refusal(rpcError(code, message, extra))
}
