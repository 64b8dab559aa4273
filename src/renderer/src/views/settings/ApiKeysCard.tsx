import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { SECRETS_CALLS } from '../../../../shared/contract/secrets-contract'
import { validateForm } from '../../model/form-validation'
import { secretsModel } from '../../model/settings/secrets-model'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'

/**
 * API keys for remote model servers. A key goes from this form to the core
 * once and is encrypted by the OS keychain; only its name ever comes back.
 */
export function ApiKeysCard(): ReactNode {
  const deleteAccess = useWriteAccess('secrets.delete')
  const storeAccess = useWriteAccess('secrets.set')
  const model = useViewModel(secretsModel, undefined)
  const state = useSelect(model, (s) => s.secrets)
  const error = useSelect(model, (s) => s.error)
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [invalid, setInvalid] = useState<Partial<Record<'name' | 'value', string>>>({})
  const nameId = useId()
  const valueId = useId()

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    // The contract's rules for a key name and value, said beside the field before the key leaves the form.
    const found = validateForm(
      SECRETS_CALLS['secrets.set'].input,
      { name, value },
      { name: 'The name', value: 'The key' }
    )
    setInvalid(found ?? {})
    if (found) return
    const stored = await model.getState().store(name, value)
    setValue('')
    if (stored) setName('')
  }
  const remove = (key: string): Promise<void> => model.getState().remove(key)

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">
        For remote OpenAI-compatible servers. Name a key after its node, e.g. <code>node:lan-vllm</code>.{' '}
        {state?.store
          ? `Keys are encrypted by the ${state.store}; they are never shown again.`
          : state?.unavailableReason}
      </p>
      {state && state.names.length > 0 && (
        <ul className="key-list">
          {state.names.map((k) => (
            <li key={k.name}>
              <code>{k.name}</code> <span className="muted">stored {new Date(k.updatedAt).toLocaleString()}</span>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => void remove(k.name)}
                disabled={deleteAccess.blocked}
                title={deleteAccess.title}
                aria-describedby={deleteAccess.describedBy}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="key-form" onSubmit={(e) => void save(e)}>
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="node:lan-vllm"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid.name ? true : undefined}
          aria-describedby={invalid.name ? `${nameId}-error` : undefined}
        />
        <label htmlFor={valueId}>Key</label>
        <input
          id={valueId}
          type="password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="off"
        />
        <button
          type="submit"
          disabled={!name || !value || !state?.store || storeAccess.blocked}
          title={storeAccess.title}
          aria-describedby={storeAccess.describedBy}
        >
          Store key
        </button>
      </form>
      {invalid.name && (
        <p className="field-error" id={`${nameId}-error`}>
          {invalid.name}
        </p>
      )}
      {invalid.value && <p className="field-error">{invalid.value}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  )
}
