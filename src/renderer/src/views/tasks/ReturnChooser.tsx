import { useState, type ReactNode } from 'react'
import type { TaskSummary } from '../../../../shared/contract/tasks-contract'
import type { ReviewRulesState } from '../../model/tasks/review-rules-model'
import type { WriteAccess } from '../../model/use-view-model'

/**
 * "Other model or expert…" on a review card: any chat model a node has and
 * any expert, for when the suggestion is not what the person wants.
 */
export function ReturnChooser({
  task,
  rules,
  access
}: {
  task: TaskSummary
  rules: ReviewRulesState
  access: WriteAccess
}): ReactNode {
  const [open, setOpen] = useState(false)
  // The index of the chosen model in the choices, and the chosen expert's id; '' keeps what the task had.
  const [model, setModel] = useState('')
  const [expert, setExpert] = useState('')
  const { choices } = rules
  if (!open)
    return (
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setOpen(true)
          void rules.loadChoices()
        }}
      >
        Other model or expert…
      </button>
    )
  const chosenModel = model === '' ? undefined : choices?.models[Number(model)]
  return (
    <form
      className="review-choice"
      aria-label={`Return “${task.title}” with another model or expert`}
      onSubmit={(e) => {
        e.preventDefault()
        void rules.returnWith(task, {
          ...(chosenModel ? { model: { node: chosenModel.node, name: chosenModel.model } } : {}),
          ...(expert ? { expert: { id: expert } } : {})
        })
      }}
    >
      <label>
        Model{' '}
        <select value={model} onChange={(e) => setModel(e.target.value)} disabled={!choices}>
          <option value="">{task.model ? `Keep (it failed on ${task.model})` : 'Keep as it was'}</option>
          {choices?.models.map((m, i) => (
            <option key={`${m.node}/${m.model}`} value={String(i)}>
              {m.model} on {m.nodeLabel}
              {m.up ? '' : ' (down now)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Expert{' '}
        <select value={expert} onChange={(e) => setExpert(e.target.value)} disabled={!choices}>
          <option value="">{task.assigneeExpert ? `Keep ${task.assigneeExpert}` : 'Keep unassigned'}</option>
          {choices?.experts.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name} — {x.role}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        disabled={(!chosenModel && !expert) || access.blocked || rules.returning !== null}
        title={access.title}
        aria-describedby={access.describedBy}
      >
        Return with these
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  )
}
