import type { ReactNode } from 'react'
import { READ_ONLY_EXPLANATION, READ_ONLY_REASON_ID } from '../model/access/write-access'
import { useReadOnly } from '../model/use-view-model'

/** The "Read-only" badge: shown only in the read-only window; its tooltip says what that means and how to get full access. */
export function ReadOnlyBadge({ place }: { place: 'header' | 'statusbar' }): ReactNode {
  const readOnly = useReadOnly()
  if (!readOnly) return null
  return (
    <span
      className={`badge badge-read-only badge-read-only-${place}`}
      data-testid={`read-only-badge-${place}`}
      title={READ_ONLY_EXPLANATION}
      aria-describedby={READ_ONLY_REASON_ID}
      tabIndex={0}
    >
      Read-only
    </span>
  )
}

/** The one description every disabled write control points at with aria-describedby. */
export function ReadOnlyReason(): ReactNode {
  const readOnly = useReadOnly()
  return (
    <p id={READ_ONLY_REASON_ID} hidden>
      {readOnly ? READ_ONLY_EXPLANATION : ''}
    </p>
  )
}
