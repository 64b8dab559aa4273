import { useState, type ReactNode } from 'react'
import type { HealthSnapshot } from '../../../../shared/contract/models-contract'
import { ViewHeader } from '../../components/ViewHeader'
import { modelsModel, type ModelsState } from '../../model/models/models-model'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import { NodeLimits } from './NodeLimits'
import { AddNodeForm, NodeList } from './NodeList'
import { PreferencesPanel } from './PreferencesPanel'
import { PullPanel } from './PullPanel'
import { SupervisorPanel } from './SupervisorPanel'
import './models.css'

const HEALTH_TEXT = { ok: 'All model services are healthy', degraded: 'Degraded', down: 'Down' } as const

export function ModelsView(): ReactNode {
  const model = useViewModel(modelsModel, undefined)
  const scanning = useSelect(model, (s) => s.scanning)
  const error = useSelect(model, (s) => s.error)
  const loaded = useSelect(model, (s) => s.loaded)
  const health = useSelect(model, (s) => s.health)
  const hasOverview = useSelect(model, (s) => s.overview !== null)
  const { scan, dismissError } = model.getState()
  const scanAccess = useWriteAccess('models.scan')

  return (
    <>
      <ViewHeader
        title="Models"
        subtitle="Ollama and OpenAI-compatible servers, the models on them, and the processes the app runs."
        actions={
          <button
            type="button"
            onClick={() => void scan()}
            disabled={scanning || scanAccess.blocked}
            title={scanAccess.title}
            aria-describedby={scanAccess.describedBy}
          >
            {scanning ? 'Scanning…' : 'Scan now'}
          </button>
        }
      />
      {error && (
        <p className="field-error models-error" role="alert">
          {error.message}{' '}
          <button type="button" className="quiet" onClick={dismissError}>
            Dismiss
          </button>
        </p>
      )}
      {!loaded && (
        <p className="muted" role="status">
          Reading the model nodes…
        </p>
      )}
      {health && <HealthBanner health={health} />}
      {hasOverview && <Body model={model} />}
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

function Body({ model }: { model: ViewModel<ModelsState> }): ReactNode {
  const overview = useSelect(model, (s) => s.overview)
  const busy = useSelect(model, (s) => s.busy)
  const processes = useSelect(model, (s) => s.processes)
  const pulls = useSelect(model, (s) => s.pulls)
  const limits = useSelect(model, (s) => s.limits)
  const { removeNode, addNode, supervise, pull, setPreference, setNodeLimit } = model.getState()
  if (!overview) return null
  return (
    <>
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        <NodeList overview={overview} busy={busy} onRemove={(id) => void removeNode(id)} />
      </section>
      {limits && (
        <section className="card" aria-labelledby="limits-title">
          <h2 id="limits-title">Requests at once per node</h2>
          <p className="muted">
            MLX and Ollama share the Mac’s GPU; parallel requests to MLX are the most frequent cause of Metal
            out-of-memory crashes, so MLX runs one at a time unless you raise it in Settings → Models, or give a node
            caps of its own here (a Mac Studio on the network can take more than this laptop).
          </p>
          <NodeLimits
            nodes={overview.nodes}
            values={limits.values}
            poolMax={limits.poolMax}
            busy={busy}
            onSet={setNodeLimit}
          />
        </section>
      )}
      <section className="card" aria-labelledby="add-node-title">
        <h2 id="add-node-title">Add a node</h2>
        <p className="muted">
          Another Mac on the network running Ollama (started with OLLAMA_HOST=0.0.0.0), or any OpenAI-compatible server.
        </p>
        <AddNodeForm busy={busy === 'models.addNode'} onAdd={addNode} />
      </section>
      <section className="card" aria-labelledby="supervisor-title">
        <h2 id="supervisor-title">Supervised servers</h2>
        <SupervisorPanel processes={processes} busy={busy} onAction={(a, id) => void supervise(a, id)} />
      </section>
      <section className="card" aria-labelledby="pull-title">
        <h2 id="pull-title">Pull a model</h2>
        <PullPanel overview={overview} pulls={pulls} busy={busy === 'models.pull'} onPull={pull} />
      </section>
      <section className="card" aria-labelledby="prefs-title">
        <h2 id="prefs-title">Preferred model per category</h2>
        <p className="muted">
          The router tries the category’s model first, on the node that has it in memory and is least busy, then falls
          back to the others.
        </p>
        <PreferencesPanel overview={overview} busy={busy} onSet={(c, m) => void setPreference(c, m)} />
      </section>
      <section className="card" aria-labelledby="try-title">
        <h2 id="try-title">Try the router</h2>
        <TryIt model={model} />
      </section>
    </>
  )
}

function TryIt({ model }: { model: ViewModel<ModelsState> }): ReactNode {
  const tryAccess = useWriteAccess('models.chat')
  const tryIt = useSelect(model, (s) => s.tryIt)
  const nodes = useSelect(model, (s) => s.overview?.nodes)
  const up = nodes?.filter((n) => n.state === 'up') ?? []
  const [prompt, setPrompt] = useState('')
  const [node, setNode] = useState('')
  return (
    <>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void model.getState().ask(prompt, node || null)
        }}
        aria-label="Ask the router"
      >
        <label className="grow">
          Prompt
          <input
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder="Say hello in five words"
            required
          />
        </label>
        <label>
          Node
          <select value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">Best available</option>
            {up.map((n) => (
              <option key={n.id} value={n.id}>
                {n.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          disabled={tryIt.running || prompt.trim() === '' || tryAccess.blocked}
          title={tryAccess.title}
          aria-describedby={tryAccess.describedBy}
        >
          {tryIt.running ? 'Answering…' : 'Ask'}
        </button>
      </form>
      {(tryIt.text || tryIt.error || tryIt.running) && (
        <div className="try-answer" aria-live="polite">
          {tryIt.text && <p>{tryIt.text}</p>}
          {tryIt.running && !tryIt.text && <p className="muted">Waiting for the first token…</p>}
          {tryIt.answeredBy && <p className="muted">Answered by {tryIt.answeredBy}</p>}
          {tryIt.error && <p className="field-error">{tryIt.error}</p>}
        </div>
      )}
    </>
  )
}
