import { useId, type ReactNode } from 'react'
import { describeSource, outranksUserFile, shortSource } from '../../../../shared/setting-source'
import type { SettingEntry, SettingValue } from '../../../../shared/contract/config-contract'
import type { WriteAccess } from '../../model/use-view-model'
import { SettingInput } from './SettingInput'

/**
 * One setting: its name for people with the key small beside it, the help,
 * the editor, and where the value comes from. Saving is the group's; a
 * refusal of this value is shown here, in the core's words.
 */
export function SettingRow(props: {
  entry: SettingEntry
  value: SettingValue
  edited: boolean
  error: string | undefined
  busy: boolean
  resetAccess: WriteAccess
  /** Whether this window may save settings at all: a read-only one shows the values without letting them be typed. */
  saveAccess: WriteAccess
  onChange(value: SettingValue): void
  onReset(): void
}): ReactNode {
  const { entry, value, edited, error, busy, resetAccess, saveAccess } = props
  const inputId = useId()
  const helpId = `${inputId}-help`
  const errorId = `${inputId}-error`
  const overridden = entry.userValue !== undefined && outranksUserFile(entry.source)
  return (
    <div
      className={edited ? 'setting-row edited' : 'setting-row'}
      role="listitem"
      data-setting={entry.key}
      aria-invalid={error ? true : undefined}
    >
      <div className="setting-label">
        <label htmlFor={inputId}>{entry.label}</label> <code className="setting-key">{entry.key}</code>
        <p className="muted" id={helpId}>
          {entry.description}
        </p>
      </div>
      <div className="setting-control" title={saveAccess.title}>
        <SettingInput
          id={inputId}
          entry={entry}
          value={value}
          disabled={!entry.userEditable || busy || saveAccess.blocked}
          describedBy={[error ? errorId : null, helpId, saveAccess.describedBy ?? null].filter(Boolean).join(' ')}
          onChange={props.onChange}
        />
        {edited && <span className="edited-mark">Edited</span>}
        {error && (
          <p className="field-error" id={errorId} role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="setting-source">
        <span
          className={`source source-${entry.source.kind}`}
          data-testid="setting-source"
          title={describeSource(entry.source)}
        >
          {shortSource(entry.source)}
        </span>
        {entry.userValue !== undefined && (
          <button
            type="button"
            className="link-button"
            disabled={busy || resetAccess.blocked}
            onClick={props.onReset}
            title={resetAccess.title ?? 'Remove it from your settings file: the profile or the default applies again.'}
            aria-describedby={resetAccess.describedBy}
          >
            Reset
          </button>
        )}
        {overridden && (
          <p className="notice">
            Your settings file says {String(entry.userValue)}, but the {describeSource(entry.source)} wins.
          </p>
        )}
        {entry.applies === 'restart' && entry.source.kind === 'user' && (
          <p className="muted">Takes effect at the next start.</p>
        )}
      </div>
    </div>
  )
}
