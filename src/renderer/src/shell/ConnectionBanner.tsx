import type { ReactNode } from 'react'
import { useApp } from '../model/use-view-model'

const MESSAGES = {
  connecting: 'Connecting to the core…',
  disconnected: 'Connection to the core lost. Reconnecting — what you see may be out of date.',
  unauthorized: 'This session has ended. Open the URL printed by `kos serve` again to sign in.'
} as const

export function ConnectionBanner(): ReactNode {
  const connection = useApp((s) => s.connection)
  const loadError = useApp((s) => s.loadError)
  if (connection !== 'connected') {
    return (
      <div className={`banner banner-${connection}`} role="status">
        {MESSAGES[connection]}
      </div>
    )
  }
  if (loadError) {
    return (
      <div className="banner banner-error" role="alert">
        Could not read from the core: {loadError.message}
      </div>
    )
  }
  return null
}
