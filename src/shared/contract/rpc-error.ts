/**
 * Errors that cross the boundary are values, never thrown exceptions: every
 * call resolves to a CallResult, so a renderer can always show what went wrong.
 */
export const RPC_ERROR_CODES = [
  'bad_request',
  'unknown_call',
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'rate_limited',
  'unavailable',
  'internal'
] as const

export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number]

export interface RpcIssue {
  /** Dotted path into the payload, '' for the payload itself. */
  readonly path: string
  readonly message: string
}

export interface RpcError {
  readonly code: RpcErrorCode
  readonly message: string
  readonly call?: string
  readonly issues?: readonly RpcIssue[]
  /** With `rate_limited`, and `unavailable` when the host sheds load: when trying again makes sense. */
  readonly retryAfterMs?: number
}

export type CallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RpcError }

/** The HTTP status each code maps to on the headless host's HTTP API. */
export const HTTP_STATUS_OF: Readonly<Record<RpcErrorCode, number>> = {
  bad_request: 400,
  unknown_call: 404,
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500
}

export function rpcError(
  code: RpcErrorCode,
  message: string,
  extra: { call?: string; issues?: readonly RpcIssue[]; retryAfterMs?: number } = {}
): RpcError {
  return { code, message, ...extra }
}

/**
 * Thrown inside main-side handlers to return a typed error; the dispatcher
 * turns it into a CallResult. Anything else thrown becomes `internal`.
 */
export class RpcFailure extends Error {
  constructor(readonly error: RpcError) {
    super(error.message)
    this.name = 'RpcFailure'
  }
}
