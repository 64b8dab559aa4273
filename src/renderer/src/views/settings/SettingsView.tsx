import type { ReactNode } from 'react'
import { describeSource } from '../../../../shared/setting-source'
import { ViewHeader } from '../../components/ViewHeader'
import { settingsModel } from '../../model/settings/settings-model'
import { groupedSettings } from '../../model/settings/settings-selectors'
import { useApp, useSelect, useViewModel } from '../../model/use-view-model'
import { ApiKeysCard } from './ApiKeysCard'
import { SettingsGroupCard } from './SettingsGroupCard'
import { WebhookCard } from './WebhookCard'
import './settings.css'

export function SettingsView(): ReactNode {
  const model = useViewModel(settingsModel, undefined)
  const query = useSelect(model, (s) => s.query)
  const search = useSelect(model, (s) => s.search)
  const config = useApp((s) => s.config)
  const info = useApp((s) => s.info)

  const header = (
    <ViewHeader
      title="Settings"
      subtitle="Grouped by what they change, the essentials first. Each value says where it comes from: default, profile, your settings file, the environment or the command line."
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

  const groups = groupedSettings(config, query)
  const shown = groups.reduce((n, g) => n + g.entries.length, 0)
  return (
    <>
      {header}
      <div className="settings-search" role="search">
        <label htmlFor="settings-search">Find a setting</label>
        <input
          id="settings-search"
          type="search"
          placeholder="e.g. timeout, ollama, budget"
          value={query}
          onChange={(e) => search(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') search('')
          }}
        />
        <span className="muted" role="status" aria-live="polite">
          {query ? `${shown} of ${config.settings.length} settings match` : `${config.settings.length} settings`}
        </span>
      </div>
      {query && groups.length === 0 && (
        <p className="muted settings-none">
          No setting matches “{query}”. Try another word, or clear the search (Esc).
        </p>
      )}
      {groups.map((view) => (
        <SettingsGroupCard key={view.group.name} view={view} model={model}>
          {view.group.name === 'General' && (
            <ul className="profile-list">
              {config.profiles.map((p) => (
                <li key={p.name}>
                  <strong>{p.name}</strong>
                  {p.name === config.profile ? ' (active)' : ''}: {p.description}
                </li>
              ))}
            </ul>
          )}
          {view.group.name === 'Notifications' && <WebhookCard />}
        </SettingsGroupCard>
      ))}
      {!query && (
        <>
          <ApiKeysCard />
          <section className="card" aria-labelledby="install-title">
            <h2 id="install-title">This installation</h2>
            <dl className="facts">
              <dt>Data folder</dt>
              <dd>
                <code>{config.dataDir.path}</code>{' '}
                <span className="muted">({describeSource(config.dataDir.source)})</span>
              </dd>
              <dt>Settings file</dt>
              <dd>
                <code>{config.settingsFile}</code>
              </dd>
              {info && (
                <>
                  <dt>Database</dt>
                  <dd>
                    <code>{info.databaseFile}</code>{' '}
                    <span className="muted">(schema version {info.schemaVersion})</span>
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
        </>
      )}
    </>
  )
}
