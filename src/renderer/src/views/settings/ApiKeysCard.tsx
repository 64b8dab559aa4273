import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import type { CallOutput } from '../../../../shared/contract/contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { useClient } from '../../client-context'

type SecretsState = CallOutput<'secrets.list'>

/**
 * API keys for remote model servers. A key goes from this form to the core
 * once and is encrypted by the OS keychain; only its name ever comes back.
 */
export function ApiKeysCard(): ReactNode {
  const client = useClient()
  const [state, setState] = useState<SecretsState | null>(null)
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<RpcError | null>(null)
  const nameId = useId()
  const valueId = useId()

  useEffect(() => {
    void client.call('secrets.list', {}).then((r) => (r.ok ? setState(r.value) : setError(r.error)))
  }, [client])

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const result = await client.call('secrets.set', { name, value })
    setValue('')
    if (result.ok) {
      setState(result.value)
      setName('')
      setError(null)
    } else setError(result.error)
  }
  const remove = async (key: string): Promise<void> => {
    const result = await client.call('secrets.delete', { name: key })
    if (result.ok) setState(result.value)
    else setError(result.error)
  }

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">
        For remote OpenAI-compatible servers. Name a key after its node, e.g. <code>node:lan-vllm</code>.{' '}
        {state?.store ? `Keys are encrypted by the ${state.store}; they are never shown again.` : state?.unavailableReason}
      </p>
      {state && state.names.length > 0 && (
        <ul className="key-list">
          {state.names.map((k) => (
            <li key={k.name}>
              <code>{k.name}</code> <span className="muted">stored {new Date(k.updatedAt).toLocaleString()}</span>{' '}
              <button type="button" className="secondary" onClick={() => void remove(k.name)}>Delete</button>
            </li>
          ))}
        </ul>
      )}
      <form className="key-form" onSubmit={(e) => void save(e)}>
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} placeholder="node:lan-vllm" spellCheck={false} autoComplete="off" />
        <label htmlFor={valueId}>Key</label>
        <input id={valueId} type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
        <button type="submit" disabled={!name || !value || !state?.store}>Store key</button>
      </form>
      {error && <p className="field-error" role="alert">{error.message}</p>}
    </section>
  )
}
