import { useWriteAccess } from '../../model/use-view-model'
import { useState, type FormEvent, type ReactNode } from 'react'
import type { ModelsOverview, NodeView } from '../../../../shared/contract/models-contract'
import { formatBytes, formatMs, formatTime } from './format'
import { NodeCircuits } from './NodeCircuits'

const STATE_TEXT = { up: 'Up', down: 'Down', unknown: 'Not scanned yet', not_configured: 'Not set up' } as const
const KIND_TEXT = {
  ollama: 'Ollama',
  openai: 'OpenAI-compatible',
  embedded: 'GGUF files run in-process by llama.cpp'
} as const

export function NodeList({
  overview,
  busy,
  onRemove
}: {
  overview: ModelsOverview
  busy: string | null
  onRemove: (id: string) => void
}): ReactNode {
  return (
    <ul className="node-list" aria-label="Model nodes">
      {overview.nodes.map((node) => (
        <NodeCard
          key={node.id}
          node={node}
          speeds={overview.speeds.filter((s) => s.node === node.id)}
          busy={busy === `models.removeNode:${node.id}`}
          onRemove={() => onRemove(node.id)}
        />
      ))}
    </ul>
  )
}

function NodeCard({
  node,
  speeds,
  busy,
  onRemove
}: {
  node: NodeView
  speeds: ModelsOverview['speeds']
  busy: boolean
  onRemove: () => void
}): ReactNode {
  const removeAccess = useWriteAccess('models.removeNode')
  return (
    <li
      className={`card node-card node-${node.state}`}
      data-node={node.id}
      aria-label={`${node.label}: ${STATE_TEXT[node.state]}`}
    >
      <div className="node-head">
        <span className={`state-pill state-${node.state}`} data-testid="node-state">
          {STATE_TEXT[node.state]}
        </span>
        <div className="node-title">
          <h3>{node.label}</h3>
          <code>{node.url}</code>{' '}
          <span className="muted">
            · {KIND_TEXT[node.kind]}
            {node.source === 'settings' ? ' · from Settings' : ''}
          </span>
        </div>
        <dl className="node-facts">
          <dt>Latency</dt>
          <dd>{formatMs(node.latencyMs)}</dd>
          <dt>Active</dt>
          <dd>{node.activeRequests}</dd>
          <dt>Errors</dt>
          <dd>{Math.round(node.errorRate * 100)}%</dd>
          <dt>Generations</dt>
          <dd data-testid="node-generations">
            {node.generations.succeeded} ok / {node.generations.failed} failed
          </dd>
          <dt>Scanned</dt>
          <dd>{formatTime(node.scannedAt)}</dd>
        </dl>
        {node.source === 'user' && (
          <button
            type="button"
            className="quiet"
            onClick={onRemove}
            disabled={busy || removeAccess.blocked}
            aria-label={`Remove ${node.label}`}
            title={removeAccess.title}
            aria-describedby={removeAccess.describedBy}
          >
            {busy ? 'Removing…' : 'Remove'}
          </button>
        )}
      </div>
      {node.oomRecently && (
        <p className="notice">Ran out of memory recently: the task engine runs fewer requests on it for a while.</p>
      )}
      {node.state === 'down' && node.error && <p className="field-error">{node.error}</p>}
      {node.state === 'not_configured' && node.error && <p className="muted">{node.error}</p>}
      <NodeCircuits node={node} />
      {node.state === 'up' && node.models.length === 0 && (
        <p className="muted">Reachable, but it has no models. Pull one below.</p>
      )}
      {node.state === 'down' && node.models.length > 0 && (
        <p className="muted">The models it had at its last successful scan:</p>
      )}
      {node.models.length > 0 && (
        <table className="model-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Size</th>
              <th scope="col">In memory</th>
              <th scope="col">First token</th>
              <th scope="col">Tokens/s</th>
              <th scope="col">Answers</th>
            </tr>
          </thead>
          <tbody>
            {node.models.map((m) => {
              const speed = speeds.find((s) => s.model === m.name)
              return (
                <tr key={m.name}>
                  <td>
                    {m.name} {m.heavy && <span className="tag">heavy</span>}
                  </td>
                  <td>{formatBytes(m.sizeBytes)}</td>
                  <td>
                    {node.loadedKnown ? (
                      m.loaded ? (
                        <span className="tag tag-loaded">loaded</span>
                      ) : (
                        'no'
                      )
                    ) : (
                      <span className="muted">not reported</span>
                    )}
                  </td>
                  <td>{formatMs(speed?.ttftMsMedian ?? null)}</td>
                  <td>{speed?.tokensPerSecMedian != null ? speed.tokensPerSecMedian.toFixed(1) : '—'}</td>
                  <td>{speed?.requests ?? 0}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </li>
  )
}

export function AddNodeForm({
  busy,
  onAdd
}: {
  busy: boolean
  onAdd: (kind: 'ollama' | 'openai', url: string, label: string) => Promise<boolean>
}): ReactNode {
  const addAccess = useWriteAccess('models.addNode')
  const [kind, setKind] = useState<'ollama' | 'openai'>('ollama')
  const [url, setUrl] = useState('')
  const [label, setLabel] = useState('')
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (await onAdd(kind, url, label)) {
      setUrl('')
      setLabel('')
    }
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Add a node">
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value === 'openai' ? 'openai' : 'ollama')}>
          <option value="ollama">Ollama</option>
          <option value="openai">OpenAI-compatible (MLX, LM Studio, llama.cpp)</option>
        </select>
      </label>
      <label>
        URL
        <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://192.168.1.20:11434" required />
      </label>
      <label>
        Name (optional)
        <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Mac Studio" />
      </label>
      <button
        type="submit"
        disabled={busy || url.trim() === '' || addAccess.blocked}
        title={addAccess.title}
        aria-describedby={addAccess.describedBy}
      >
        {busy ? 'Adding…' : 'Add node'}
      </button>
    </form>
  )
}
