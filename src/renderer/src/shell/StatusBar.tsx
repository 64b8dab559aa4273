import type { ReactNode } from 'react'
import { useAppStore } from '../store/app-store-context'

export function StatusBar(): ReactNode {
  const connection = useAppStore((s) => s.connection)
  const info = useAppStore((s) => s.info)
  const profile = useAppStore((s) => s.config?.profile)
  return (
    <footer className="statusbar">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-status">{connection}</span>
      {info && <span>v{info.version}</span>}
      {profile && <span>profile: {profile}</span>}
      {info && <span className="statusbar-path" title={info.dataDir}>{info.dataDir}</span>}
    </footer>
  )
}
