import { useMemo, useState, type FormEvent, type ReactNode } from 'react'
import type { OnboardingFix, OnboardingProblem } from '../../../../shared/contract/onboarding-contract'
import {
  fixesOf,
  onboardingModel,
  progressRows,
  selectFixFailed,
  selectFixRunning,
  selectFolded,
  selectProblems,
  selectSummary,
  selectVisible,
  type OnboardingState,
  type ProgressRow
} from '../../model/onboarding/onboarding-model'
import { useSelect, useViewModel, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import './onboarding.css'

type Model = ViewModel<OnboardingState>

/**
 * The setup panel above every view while no chat model and embedding model
 * answer: what is missing, in plain words, and a button for each fix the app
 * can make. It goes away by itself once the corporation can work.
 */
export function OnboardingPanel(): ReactNode {
  const model = useViewModel(onboardingModel, undefined)
  const visible = useSelect(model, selectVisible)
  const folded = useSelect(model, selectFolded)
  const summary = useSelect(model, selectSummary)
  if (!visible) return null
  if (folded)
    return (
      <aside className="onboarding onboarding-folded" aria-label="Setup">
        <span>{summary}.</span>
        <button type="button" className="secondary" onClick={() => model.getState().unfold()}>
          Show setup
        </button>
      </aside>
    )
  return (
    <aside className="onboarding" aria-labelledby="onboarding-title">
      <header className="onboarding-head">
        <h2 id="onboarding-title">Set up your corporation</h2>
        <button type="button" className="secondary" onClick={() => model.getState().fold()}>
          Not now
        </button>
      </header>
      <p className="onboarding-lead">
        The agents need a model server with a chat model, and the knowledge base needs an embedding model.
      </p>
      <Problems model={model} />
      <Fixes model={model} />
      <Progress model={model} />
      <Refusal model={model} />
    </aside>
  )
}

function Problems({ model }: { model: Model }): ReactNode {
  const problems = useSelect(model, selectProblems)
  return (
    <ul className="onboarding-problems" aria-label="What is missing">
      {problems.map((p) => (
        <ProblemItem key={`${p.kind}:${p.title}`} problem={p} />
      ))}
    </ul>
  )
}

function ProblemItem({ problem }: { problem: OnboardingProblem }): ReactNode {
  return (
    <li className={`onboarding-problem onboarding-${problem.kind}`}>
      <strong>{problem.title}</strong>
      <span>{problem.detail}</span>
    </li>
  )
}

const FIX_LABEL: Readonly<Record<OnboardingFix, { idle: string; busy: string; running: string }>> = {
  start_ollama: { idle: 'Start Ollama', busy: 'Starting Ollama…', running: 'Starting Ollama…' },
  pull_models: { idle: 'Pull the recommended models', busy: 'Starting the pulls…', running: 'Pulling…' },
  download_embedded: { idle: 'Use the built-in engine', busy: 'Starting the downloads…', running: 'Downloading…' },
  add_node: { idle: 'Add a server', busy: 'Adding…', running: 'Adding…' }
}

const FIX_CALL = {
  start_ollama: 'onboarding.startOllama',
  pull_models: 'onboarding.pullModels',
  download_embedded: 'onboarding.downloadEmbedded',
  add_node: 'models.addNode'
} as const

function Fixes({ model }: { model: Model }): ReactNode {
  const problems = useSelect(model, selectProblems)
  const fixes = useMemo(() => fixesOf(problems), [problems])
  const offerEmbedded = useSelect(
    model,
    (s) => s.status !== null && !s.status.embeddedEnabled && s.status.ollama.state === 'not_installed'
  )
  const recommended = useSelect(model, (s) => s.status?.recommended ?? null)
  const buttons = fixes.filter((f) => f !== 'add_node')
  return (
    <div className="onboarding-fixes">
      {buttons.map((fix) => (
        <FixButton key={fix} model={model} fix={fix} />
      ))}
      {offerEmbedded && recommended && (
        <p className="onboarding-note">
          The built-in engine downloads {recommended.embedded.chat.model} to chat and{' '}
          {recommended.embedded.embedding.model} for the knowledge base, checks each file, and runs them in the app.
        </p>
      )}
      <AddNodeForm model={model} />
    </div>
  )
}

function FixButton({ model, fix }: { model: Model; fix: OnboardingFix }): ReactNode {
  const busy = useSelect(model, (s) => s.busy)
  const running = useSelect(model, (s) => selectFixRunning(s, fix))
  const failed = useSelect(model, (s) => selectFixFailed(s, fix))
  const access = useWriteAccess(FIX_CALL[fix])
  const run = (): void => {
    const s = model.getState()
    if (fix === 'start_ollama') void s.startOllama()
    else if (fix === 'pull_models') void s.pullModels()
    else if (fix === 'download_embedded') void s.downloadEmbedded()
  }
  return (
    <button
      type="button"
      disabled={busy !== null || running || access.blocked}
      title={access.title}
      aria-describedby={access.describedBy}
      onClick={run}
    >
      {busy === fix ? FIX_LABEL[fix].busy : running ? FIX_LABEL[fix].running : failed ? 'Retry' : FIX_LABEL[fix].idle}
    </button>
  )
}

function AddNodeForm({ model }: { model: Model }): ReactNode {
  const [url, setUrl] = useState('')
  const busy = useSelect(model, (s) => s.busy)
  const access = useWriteAccess('models.addNode')
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void model
      .getState()
      .addNode(url.trim())
      .then((added) => added && setUrl(''))
  }
  return (
    <form className="onboarding-add" onSubmit={submit}>
      <label htmlFor="onboarding-node-url">Ollama on another computer</label>
      <input
        id="onboarding-node-url"
        type="text"
        inputMode="url"
        placeholder="http://192.168.1.20:11434"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        disabled={access.blocked}
      />
      <button
        type="submit"
        className="secondary"
        disabled={busy !== null || access.blocked || url.trim() === ''}
        title={access.title}
        aria-describedby={access.describedBy}
      >
        {busy === 'add_node' ? FIX_LABEL.add_node.busy : FIX_LABEL.add_node.idle}
      </button>
    </form>
  )
}

function Progress({ model }: { model: Model }): ReactNode {
  const pulls = useSelect(model, (s) => s.pulls)
  const downloads = useSelect(model, (s) => s.status?.downloads)
  const rows = useMemo(() => progressRows(pulls, downloads ?? []), [pulls, downloads])
  if (rows.length === 0) return null
  return (
    <ul className="onboarding-progress" aria-label="Downloads">
      {rows.map((row) => (
        <ProgressItem key={row.key} row={row} />
      ))}
    </ul>
  )
}

function ProgressItem({ row }: { row: ProgressRow }): ReactNode {
  return (
    <li className={row.failed ? 'failed' : undefined}>
      <span className="onboarding-progress-label">{row.label}</span>
      <progress
        max={100}
        value={row.percent ?? undefined}
        aria-label={`${row.label}: ${row.failed ? 'failed' : row.percent === null ? 'size not known yet' : `${row.percent}%`}`}
      />
      <span className="onboarding-progress-text" role={row.failed ? 'alert' : undefined}>
        {row.text}
      </span>
    </li>
  )
}

function Refusal({ model }: { model: Model }): ReactNode {
  const error = useSelect(model, (s) => s.error)
  if (!error) return null
  return (
    <p className="onboarding-error" role="alert">
      {error.message}{' '}
      <button type="button" className="secondary" onClick={() => model.getState().dismissError()}>
        Dismiss
      </button>
    </p>
  )
}
