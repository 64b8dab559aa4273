import type { ReactNode } from 'react'
import { changesIn, shownValue, type SettingsGroupView } from '../../model/settings/settings-selectors'
import type { SettingsState } from '../../model/settings/settings-model'
import { useSelect, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import { SettingRow } from './SettingRow'
import { countOf } from '../../../../shared/count-of'

/** One capability's settings with one Save: it is enabled only when something in the group was changed. */
export function SettingsGroupCard({
  view,
  model,
  children
}: {
  view: SettingsGroupView
  model: ViewModel<SettingsState>
  children?: ReactNode
}): ReactNode {
  const { group, entries } = view
  const saveAccess = useWriteAccess('config.setMany')
  const resetAccess = useWriteAccess('config.reset')
  const drafts = useSelect(model, (s) => s.drafts)
  const fieldErrors = useSelect(model, (s) => s.fieldErrors)
  const outcome = useSelect(model, (s) => s.groups[group.name])
  const { edit, discard, save, reset } = model.getState()
  const changes = changesIn(entries, drafts)
  const busy = outcome?.saving ?? false
  const titleId = `group-${group.name.replace(/\W+/g, '-').toLowerCase()}`
  const saveTitle =
    saveAccess.title ?? (changes.length === 0 ? 'Nothing to save: change a value in this group first.' : undefined)

  return (
    <section className="card settings-group" aria-labelledby={titleId} data-group={group.name}>
      <header className="settings-group-head">
        <div>
          <h2 id={titleId}>
            {group.name}
            {group.essential && <span className="essential-tag">Start here</span>}
          </h2>
          {group.summary && <p className="muted">{group.summary}</p>}
        </div>
      </header>
      {children}
      <div className="settings-table" role="list">
        {entries.map((entry) => (
          <SettingRow
            key={entry.key}
            entry={entry}
            value={shownValue(entry, drafts)}
            edited={changes.some((c) => c.key === entry.key)}
            error={fieldErrors[entry.key]}
            busy={busy}
            resetAccess={resetAccess}
            saveAccess={saveAccess}
            onChange={(value) => edit(entry.key, value)}
            onReset={() => void reset(group.name, entry.key)}
          />
        ))}
      </div>
      <footer className="settings-group-actions">
        <span className="muted" role="status">
          {busy
            ? 'Saving…'
            : changes.length > 0
              ? `${countOf(changes.length, 'unsaved change')} in ${group.name}`
              : outcome?.savedAt
                ? 'Saved to your settings file.'
                : ''}
        </span>
        {outcome?.error && (
          <p className="field-error" role="alert">
            {outcome.error}
          </p>
        )}
        <button
          type="button"
          className="secondary"
          disabled={changes.length === 0 || busy}
          onClick={() => discard(entries.map((e) => e.key))}
        >
          Discard
        </button>
        <button
          type="button"
          disabled={changes.length === 0 || busy || saveAccess.blocked}
          onClick={() => void save(group.name, changes)}
          title={saveTitle}
          aria-describedby={saveAccess.describedBy}
        >
          {changes.length > 1 ? `Save ${changes.length} changes` : 'Save'}
        </button>
      </footer>
    </section>
  )
}
