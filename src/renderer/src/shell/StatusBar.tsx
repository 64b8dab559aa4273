import { useMemo, type ReactNode } from 'react'
import { healthLine, healthModel } from '../model/health/health-model'
import { useApp, useSelect, useViewModel } from '../model/use-view-model'
import { ReadOnlyBadge } from './ReadOnlyBadge'

export function StatusBar(): ReactNode {
  const connection = useApp((s) => s.connection)
  const info = useApp((s) => s.info)
  const profile = useApp((s) => s.config?.profile)
  return (
    <footer className="statusbar">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-status">{connection}</span>
      {connection === 'connected' && <HealthStatus />}
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

/** The corporation's health beside the connection: connected is not the same as working. */
function HealthStatus(): ReactNode {
  const model = useViewModel(healthModel, undefined)
  const health = useSelect(model, (s) => s.health)
  const line = useMemo(() => healthLine(health), [health])
  return (
    <a
      className={`statusbar-health health-${line.level}`}
      href="#/checklist"
      title={line.detail}
      data-testid="health-status"
    >
      <span className={`dot dot-health-${line.level}`} aria-hidden="true" />
      {line.text}
    </a>
  )
}
