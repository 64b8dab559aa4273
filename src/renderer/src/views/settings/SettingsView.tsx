import type { ReactNode } from 'react'
import { describeSource } from '../../../../shared/setting-source'
import type { SettingEntry } from '../../../../shared/contract/config-contract'
import { ViewHeader } from '../../components/ViewHeader'
import { useApp } from '../../model/use-view-model'
import { ApiKeysCard } from './ApiKeysCard'
import { SettingRow } from './SettingRow'
import { WebhookCard } from './WebhookCard'

export function SettingsView(): ReactNode {
  const config = useApp((s) => s.config)
  const info = useApp((s) => s.info)
  const refreshing = useApp((s) => s.refreshing)
  const refresh = useApp((s) => s.refresh)

  const header = (
    <ViewHeader
      title="Settings"
      subtitle="Each value shows where it comes from: command line, environment, your settings file, the profile, or the default."
      actions={
        <button type="button" onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? 'Reading…' : 'Refresh'}
        </button>
      }
    />
  )
  if (!config) {
    return (
      <>
        {header}
        <p className="muted" role="status">
          Reading settings from the core…
        </p>
      </>
    )
  }

  const groups = new Map<string, SettingEntry[]>()
  for (const entry of config.settings) groups.set(entry.category, [...(groups.get(entry.category) ?? []), entry])

  return (
    <>
      {header}
      <section className="card" aria-labelledby="install-title">
        <h2 id="install-title">This installation</h2>
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>
            <code>{config.dataDir.path}</code> <span className="muted">({describeSource(config.dataDir.source)})</span>
          </dd>
          <dt>Settings file</dt>
          <dd>
            <code>{config.settingsFile}</code>
          </dd>
          {info && (
            <>
              <dt>Database</dt>
              <dd>
                <code>{info.databaseFile}</code> <span className="muted">(schema version {info.schemaVersion})</span>
              </dd>
              <dt>Log file</dt>
              <dd>
                <code>{info.logFile}</code>
              </dd>
              <dt>Version</dt>
              <dd>
                {info.version} on {info.platform}, running since {new Date(info.startedAt).toLocaleString()}
              </dd>
            </>
          )}
        </dl>
      </section>
      {[...groups].map(([category, entries]) => (
        <section key={category} className="card" aria-label={category}>
          <h2>{category}</h2>
          {category === 'General' && (
            <ul className="profile-list">
              {config.profiles.map((p) => (
                <li key={p.name}>
                  <strong>{p.name}</strong>
                  {p.name === config.profile ? ' (active)' : ''}: {p.description}
                </li>
              ))}
            </ul>
          )}
          <div className="settings-table" role="list">
            {entries.map((entry) => (
              <SettingRow key={entry.key} entry={entry} />
            ))}
          </div>
          {category === 'Notifications' && <WebhookCard />}
        </section>
      ))}
      <ApiKeysCard />
    </>
  )
}
