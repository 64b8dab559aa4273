import type { ReactNode } from 'react'
import { useApp } from '../model/use-view-model'
import { ReadOnlyBadge } from './ReadOnlyBadge'

export function StatusBar(): ReactNode {
  const connection = useApp((s) => s.connection)
  const info = useApp((s) => s.info)
  const profile = useApp((s) => s.config?.profile)
  return (
    <footer className="statusbar">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-status">{connection}</span>
      <ReadOnlyBadge place="statusbar" />
      {info && <span>v{info.version}</span>}
      {profile && <span>profile: {profile}</span>}
      {info && (
        <span className="statusbar-path" title={info.dataDir}>
          {info.dataDir}
        </span>
      )}
    </footer>
  )
}
