import { useState, type ReactNode } from 'react'
import { limitForNode, type BackendLimitValues } from '../../../../shared/backend-limits'
import type { NodeView } from '../../../../shared/contract/models-contract'
import { readNodeLimitDraft } from '../../model/models/models-model'
import { useWriteAccess } from '../../model/use-view-model'

const SETTING_OF = {
  ollama: { total: 'ollama.maxConcurrent', heavy: 'ollama.maxHeavy' },
  openai: { total: 'mlx.maxConcurrent', heavy: 'mlx.maxHeavy' },
  embedded: { total: 'worker.maxConcurrency', heavy: 'worker.heavyPerBackend' }
} as const

const atOnce = (n: number): string => (n === 1 ? 'one at a time' : `up to ${n}`)

/** What each node is given at once, its own caps editable: the scheduler never starts more, and the adaptive pool is sized to fit. */
export function NodeLimits({
  nodes,
  values,
  poolMax,
  busy,
  onSet
}: {
  nodes: readonly NodeView[]
  values: BackendLimitValues
  poolMax: number
  busy: string | null
  onSet: (id: string, maxConcurrent: number | null, maxHeavy: number | null) => Promise<boolean>
}): ReactNode {
  return (
    <table className="model-table" aria-label="Requests at once per node">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Model calls at once (a batch counts once)</th>
          <th scope="col">Heavy-model calls at once</th>
          <th scope="col">Running now</th>
          <th scope="col">This node’s own caps (empty: from Settings)</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => {
          // The settings as they are now (a change in Settings shows at once), with the node's own caps over them.
          const limit = limitForNode(node.kind, node.limit.own, values)
          const setting = SETTING_OF[node.kind]
          const ownTotal = (node.limit.own?.maxConcurrent ?? null) !== null
          const ownHeavy = (node.limit.own?.maxHeavy ?? null) !== null
          return (
            <tr key={node.id} data-testid="node-limit" data-node={node.id}>
              <td>{node.label}</td>
              <td>
                {limit.total === null ? `no cap of its own (the pool runs up to ${poolMax})` : atOnce(limit.total)}
                <div className="muted">from {ownTotal ? 'this node' : <code>{setting.total}</code>}</div>
              </td>
              <td>
                {atOnce(limit.heavy)}
                <div className="muted">from {ownHeavy ? 'this node' : <code>{setting.heavy}</code>}</div>
              </td>
              <td>{node.activeRequests}</td>
              <td>
                <OwnLimitForm node={node} busy={busy === `models.setNodeLimit:${node.id}`} onSet={onSet} />
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function OwnLimitForm({
  node,
  busy,
  onSet
}: {
  node: NodeView
  busy: boolean
  onSet: (id: string, maxConcurrent: number | null, maxHeavy: number | null) => Promise<boolean>
}): ReactNode {
  const access = useWriteAccess('models.setNodeLimit')
  const own = node.limit.own
  const [total, setTotal] = useState(own?.maxConcurrent?.toString() ?? '')
  const [heavy, setHeavy] = useState(own?.maxHeavy?.toString() ?? '')
  const [errors, setErrors] = useState<Partial<Record<'maxConcurrent' | 'maxHeavy', string>>>({})
  const unchanged =
    total.trim() === (own?.maxConcurrent?.toString() ?? '') && heavy.trim() === (own?.maxHeavy?.toString() ?? '')
  const id = `limit-${node.id}`
  const save = async (maxConcurrent: string, maxHeavy: string): Promise<void> => {
    const draft = readNodeLimitDraft(node.id, maxConcurrent, maxHeavy)
    if (!draft.ok) return setErrors(draft.errors)
    setErrors({})
    await onSet(node.id, draft.maxConcurrent, draft.maxHeavy)
  }
  return (
    <form
      className="limit-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save(total, heavy)
      }}
    >
      <CapInput
        id={`${id}-total`}
        label="Calls"
        hint="Model calls this node has in flight at once (a batch of small tasks is one call); 0 = no cap of its own, empty = from Settings"
        value={total}
        error={errors.maxConcurrent ? `${id}-error` : null}
        onChange={setTotal}
      />
      <CapInput
        id={`${id}-heavy`}
        label="Heavy"
        hint="Heavy-model calls this node has in flight at once (1 or more); empty = from Settings"
        value={heavy}
        error={errors.maxHeavy ? `${id}-error` : null}
        onChange={setHeavy}
      />
      <button
        type="submit"
        disabled={busy || unchanged || access.blocked}
        title={access.title}
        aria-describedby={access.describedBy}
      >
        {busy ? 'Saving…' : 'Save'}
      </button>
      {own && (
        <button
          type="button"
          disabled={busy || access.blocked}
          title={access.title ?? 'Follow the Settings for this kind of server again'}
          onClick={() => {
            setTotal('')
            setHeavy('')
            void save('', '')
          }}
        >
          Use Settings
        </button>
      )}
      {(errors.maxConcurrent || errors.maxHeavy) && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {[errors.maxConcurrent, errors.maxHeavy].filter(Boolean).join(' ')}
        </span>
      )}
    </form>
  )
}

function CapInput(props: {
  id: string
  label: string
  hint: string
  value: string
  /** The id of the message saying what is wrong with it, or null. */
  error: string | null
  onChange: (value: string) => void
}): ReactNode {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="numeric"
        size={3}
        value={props.value}
        title={props.hint}
        placeholder="—"
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ?? undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </>
  )
}
