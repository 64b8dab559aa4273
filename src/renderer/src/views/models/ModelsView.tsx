import { useState, type ReactNode } from 'react'
import type { HealthSnapshot } from '../../../../shared/contract/models-contract'
import { ViewHeader } from '../../components/ViewHeader'
import { useViewStore } from '../../store/use-view-store'
import { createModelsStore, type ModelsState } from './models-store'
import { NodeLimits } from './NodeLimits'
import { AddNodeForm, NodeList } from './NodeList'
import { PreferencesPanel } from './PreferencesPanel'
import { PullPanel } from './PullPanel'
import { SupervisorPanel } from './SupervisorPanel'
import './models.css'

const HEALTH_TEXT = { ok: 'All model services are healthy', degraded: 'Degraded', down: 'Down' } as const

export function ModelsView(): ReactNode {
  const s = useViewStore(createModelsStore)

  return (
    <>
      <ViewHeader
        title="Models"
        subtitle="Ollama and OpenAI-compatible servers, the models on them, and the processes the app runs."
        actions={
          <button type="button" onClick={() => void s.scan()} disabled={s.scanning}>
            {s.scanning ? 'Scanning…' : 'Scan now'}
          </button>
        }
      />
      {s.error && (
        <p className="field-error models-error" role="alert">
          {s.error.message} <button type="button" className="quiet" onClick={s.dismissError}>Dismiss</button>
        </p>
      )}
      {!s.loaded && <p className="muted" role="status">Reading the model nodes…</p>}
      {s.health && <HealthBanner health={s.health} />}
      {s.overview && <Body s={s} />}
    </>
  )
}

function HealthBanner({ health }: { health: HealthSnapshot }): ReactNode {
  return (
    <section className={`card health-banner health-${health.level}`} aria-label="Health" role="status">
      <strong data-testid="health-level">{HEALTH_TEXT[health.level]}</strong>
      {health.reasons.length > 0 && (
        <ul>
          {health.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </section>
  )
}

function Body({ s }: { s: ModelsState }): ReactNode {
  const overview = s.overview
  if (!overview) return null
  return (
    <>
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        <NodeList overview={overview} busy={s.busy} onRemove={(id) => void s.removeNode(id)} />
      </section>
      {s.limits && (
        <section className="card" aria-labelledby="limits-title">
          <h2 id="limits-title">Requests at once per node</h2>
          <p className="muted">MLX and Ollama share the Mac’s GPU; parallel requests to MLX are the most frequent cause of Metal out-of-memory crashes, so MLX runs one at a time unless you raise it in Settings → Models.</p>
          <NodeLimits nodes={overview.nodes} values={s.limits.values} poolMax={s.limits.poolMax} />
        </section>
      )}
      <section className="card" aria-labelledby="add-node-title">
        <h2 id="add-node-title">Add a node</h2>
        <p className="muted">Another Mac on the network running Ollama (started with OLLAMA_HOST=0.0.0.0), or any OpenAI-compatible server.</p>
        <AddNodeForm busy={s.busy === 'models.addNode'} onAdd={s.addNode} />
      </section>
      <section className="card" aria-labelledby="supervisor-title">
        <h2 id="supervisor-title">Supervised servers</h2>
        <SupervisorPanel processes={s.processes} busy={s.busy} onAction={(a, id) => void s.supervise(a, id)} />
      </section>
      <section className="card" aria-labelledby="pull-title">
        <h2 id="pull-title">Pull a model</h2>
        <PullPanel overview={overview} pulls={s.pulls} busy={s.busy === 'models.pull'} onPull={s.pull} />
      </section>
      <section className="card" aria-labelledby="prefs-title">
        <h2 id="prefs-title">Preferred model per category</h2>
        <p className="muted">The router tries the category’s model first, on the node that has it in memory and is least busy, then falls back to the others.</p>
        <PreferencesPanel overview={overview} busy={s.busy} onSet={(c, m) => void s.setPreference(c, m)} />
      </section>
      <section className="card" aria-labelledby="try-title">
        <h2 id="try-title">Try the router</h2>
        <TryIt s={s} />
      </section>
    </>
  )
}

function TryIt({ s }: { s: ModelsState }): ReactNode {
  const [prompt, setPrompt] = useState('')
  const [node, setNode] = useState('')
  const up = s.overview?.nodes.filter((n) => n.state === 'up') ?? []
  return (
    <>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void s.ask(prompt, node || null)
        }}
        aria-label="Ask the router"
      >
        <label className="grow">
          Prompt
          <input value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="Say hello in five words" required />
        </label>
        <label>
          Node
          <select value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">Best available</option>
            {up.map((n) => (
              <option key={n.id} value={n.id}>{n.label}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={s.tryIt.running || prompt.trim() === ''}>{s.tryIt.running ? 'Answering…' : 'Ask'}</button>
      </form>
      {(s.tryIt.text || s.tryIt.error || s.tryIt.running) && (
        <div className="try-answer" aria-live="polite">
          {s.tryIt.text && <p>{s.tryIt.text}</p>}
          {s.tryIt.running && !s.tryIt.text && <p className="muted">Waiting for the first token…</p>}
          {s.tryIt.answeredBy && <p className="muted">Answered by {s.tryIt.answeredBy}</p>}
          {s.tryIt.error && <p className="field-error">{s.tryIt.error}</p>}
        </div>
      )}
    </>
  )
}
