/**
 * A person's yes or no before work that is financial, destructive or
 * external goes on. The approvals capability keeps the queue (app, tray,
 * `kos approvals`, MCP); a workflow step or a policy asks through this port.
 */
export interface ApprovalRequest {
  readonly runId: string | null
  readonly taskId: string | null
  readonly step: string | null
  /** What the person is asked to allow, in plain words. */
  readonly title: string
  /** Why it needs a person (the policy or step setting that asked). */
  readonly reason: string
  readonly correlationId: string | null
}

export type ApprovalVerdict =
  | { readonly status: 'approved'; readonly by: string; readonly note: string | null }
  | { readonly status: 'rejected'; readonly by: string; readonly note: string | null }

export interface Approvals {
  /** Files the request (idempotent per runId+step, or taskId) and returns its id. */
  request(request: ApprovalRequest): string
  /** Called once when the request is decided; returns the unsubscribe. Called at once if it already is. */
  onDecided(id: string, listener: (verdict: ApprovalVerdict) => void): () => void
  /** Takes back a request nobody needs to decide any more (its run was cancelled): it is rejected by `workflow`, with why. */
  withdraw(id: string, reason: string): void
}
