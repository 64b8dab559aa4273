import type { ReactNode } from 'react'
import type { SettingEntry, SettingValue } from '../../../../shared/contract/config-contract'

/** The editor that fits a setting's type; the core still checks every value it is sent. */
export function SettingInput(props: {
  id: string
  entry: SettingEntry
  value: SettingValue
  disabled: boolean
  describedBy: string
  onChange: (value: SettingValue) => void
}): ReactNode {
  const { id, entry, value, disabled, describedBy, onChange } = props
  switch (entry.type.kind) {
    case 'enum':
      return (
        <select
          id={id}
          aria-describedby={describedBy}
          value={String(value)}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        >
          {entry.type.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )
    case 'boolean':
      return (
        <input
          id={id}
          aria-describedby={describedBy}
          type="checkbox"
          checked={value === true}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
        />
      )
    case 'number':
      return (
        <input
          id={id}
          aria-describedby={describedBy}
          type="number"
          inputMode="decimal"
          step="any"
          min={entry.type.min}
          max={entry.type.max}
          value={String(value)}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
        />
      )
    case 'integer':
      return (
        <span className="with-unit">
          <input
            id={id}
            aria-describedby={describedBy}
            type="number"
            inputMode="numeric"
            step={1}
            min={entry.type.min}
            max={entry.type.max}
            value={String(value)}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
          />
          {entry.type.unit && <span className="muted">{entry.type.unit}</span>}
        </span>
      )
    case 'url':
    case 'host':
      return (
        <input
          id={id}
          aria-describedby={describedBy}
          type="text"
          spellCheck={false}
          value={String(value)}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        />
      )
  }
}
