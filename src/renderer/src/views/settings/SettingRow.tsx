import { useEffect, useId, useState, type ReactNode } from 'react'
import { describeSource, outranksUserFile } from '../../../../shared/setting-source'
import type { SettingEntry, SettingValue } from '../../../../shared/contract/config-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { useApp, useWriteAccess } from '../../model/use-view-model'
import { SettingInput } from './SettingInput'

/**
 * One setting: its value, where that value comes from, and an editor that
 * writes to the user settings file. The core validates; a refusal is shown
 * beside the field with the core's own words.
 */
export function SettingRow({ entry }: { entry: SettingEntry }): ReactNode {
  const saveAccess = useWriteAccess('config.set')
  const resetAccess = useWriteAccess('config.reset')
  const setSetting = useApp((s) => s.setSetting)
  const resetSetting = useApp((s) => s.resetSetting)
  const [draft, setDraft] = useState<SettingValue>(entry.value)
  const [error, setError] = useState<RpcError | null>(null)
  const [busy, setBusy] = useState(false)
  const inputId = useId()

  useEffect(() => setDraft(entry.value), [entry.value])

  const run = async (action: () => Promise<RpcError | null>): Promise<void> => {
    setBusy(true)
    setError(await action())
    setBusy(false)
  }

  const overridden = entry.userValue !== undefined && outranksUserFile(entry.source)
  const changed = draft !== entry.value
  return (
    <div className="setting-row" role="listitem" data-setting={entry.key}>
      <div className="setting-label">
        <label htmlFor={inputId}>
          <code>{entry.key}</code>
        </label>
        <p className="muted">{entry.description}</p>
      </div>
      <div className="setting-control">
        <SettingInput
          id={inputId}
          entry={entry}
          value={draft}
          disabled={!entry.userEditable || busy}
          onChange={setDraft}
        />
        <button
          type="button"
          disabled={!changed || busy || saveAccess.blocked}
          onClick={() => void run(() => setSetting(entry.key, draft))}
          title={saveAccess.title}
          aria-describedby={saveAccess.describedBy}
        >
          Save
        </button>
        {entry.userValue !== undefined && (
          <button
            type="button"
            className="secondary"
            disabled={busy || resetAccess.blocked}
            onClick={() => void run(() => resetSetting(entry.key))}
            title={resetAccess.title}
            aria-describedby={resetAccess.describedBy}
          >
            Reset
          </button>
        )}
      </div>
      <div className="setting-source">
        <span className={`source source-${entry.source.kind}`} data-testid="setting-source">
          {describeSource(entry.source)}
        </span>
        {overridden && (
          <p className="notice">
            Your settings file says {String(entry.userValue)}, but the {describeSource(entry.source)} wins.
          </p>
        )}
        {entry.applies === 'restart' && entry.source.kind === 'user' && (
          <p className="muted">Takes effect at the next start.</p>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error.message}
          </p>
        )}
      </div>
    </div>
  )
}
