import type { NotificationKind } from '../../shared/contract/notify-contract'

export type Severity = 'info' | 'warning' | 'critical'

/** One thing the owner should hear about, before it is shaped into a webhook's body. */
export interface Notification {
  readonly kind: NotificationKind
  readonly title: string
  readonly message: string
  readonly severity: Severity
  /** ISO 8601, when it happened. */
  readonly at: string
  /** Machine-readable facts for the generic JSON body (task ids, the circuit, the digest's figures). */
  readonly details: Readonly<Record<string, unknown>>
}
