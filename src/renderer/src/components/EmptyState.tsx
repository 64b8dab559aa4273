import type { ReactNode } from 'react'

/**
 * What a view shows when it has nothing: what will appear here, and the
 * plain truth about why nothing does yet.
 */
export function EmptyState({
  title,
  children,
  status
}: {
  title: string
  children: ReactNode
  status: string
}): ReactNode {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <p>{children}</p>
      <p className="empty-status">{status}</p>
    </section>
  )
}
