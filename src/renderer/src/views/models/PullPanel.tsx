import { useWriteAccess } from '../../model/use-view-model'
import { useState, type FormEvent, type ReactNode } from 'react'
import type { ModelsOverview, PullProgress } from '../../../../shared/contract/models-contract'

export function PullPanel({
  overview,
  pulls,
  busy,
  onPull
}: {
  overview: ModelsOverview
  pulls: Readonly<Record<string, PullProgress>>
  busy: boolean
  onPull: (node: string, model: string) => Promise<boolean>
}): ReactNode {
  const pullAccess = useWriteAccess('models.pull')
  const targets = overview.nodes.filter((n) => n.kind === 'ollama')
  const [node, setNode] = useState(targets[0]?.id ?? '')
  const [model, setModel] = useState('')
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (await onPull(node || targets[0]?.id || '', model.trim())) setModel('')
  }
  return (
    <>
      {targets.length === 0 ? (
        <p className="muted">No Ollama node: add one to pull models onto it.</p>
      ) : (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Pull a model">
          <label>
            Node
            <select value={node} onChange={(e) => setNode(e.target.value)}>
              {targets.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Model
            <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="qwen2.5-coder:7b" required />
          </label>
          <button
            type="submit"
            disabled={busy || model.trim() === '' || pullAccess.blocked}
            title={pullAccess.title}
            aria-describedby={pullAccess.describedBy}
          >
            {busy ? 'Starting…' : 'Pull'}
          </button>
        </form>
      )}
      {Object.values(pulls).length > 0 && (
        <ul className="pull-list">
          {Object.values(pulls).map((p) => {
            const pct = p.total ? Math.round(((p.completed ?? 0) / p.total) * 100) : null
            return (
              <li key={p.pullId}>
                <span>
                  {p.model} → {overview.nodes.find((n) => n.id === p.node)?.label ?? p.node}
                </span>
                {p.state === 'running' && (
                  <progress max={100} value={pct ?? undefined} aria-label={`Pulling ${p.model}`} />
                )}
                <span className={p.state === 'failed' ? 'field-error' : 'muted'}>
                  {p.state === 'failed'
                    ? p.error
                    : p.state === 'done'
                      ? 'Done'
                      : `${p.status}${pct !== null ? ` · ${pct}%` : ''}`}
                </span>
              </li>
            )
          })}
        </ul>
      )}
    </>
  )
}
