import { useWriteAccess } from '../../model/use-view-model'
import { useState, type FormEvent, type ReactNode } from 'react'
import {
  TASK_PRIORITIES,
  TaskCreateInputSchema,
  type TaskCreateInput,
  type TaskPriority
} from '../../../../shared/contract/tasks-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { validateForm } from '../../model/form-validation'

type Field = 'title' | 'description' | 'domain' | 'assigneeExpert' | 'preferredBackend' | 'preferredModel'
type Errors = Partial<Record<Field | 'form', string>>

const EMPTY = { title: '', description: '', domain: '', assigneeExpert: '', preferredBackend: '', preferredModel: '' }

const LABELS: Readonly<Record<Field, string>> = {
  title: 'Title',
  description: 'Description',
  domain: 'Domain',
  assigneeExpert: 'Expert',
  preferredBackend: 'Preferred backend',
  preferredModel: 'Preferred model'
}

/** The form's values as the call takes them: trimmed, and empty optional fields left out. */
function toInput(values: typeof EMPTY, priority: TaskPriority): TaskCreateInput {
  const optional = (key: Field): string | undefined => values[key].trim() || undefined
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    priority,
    domain: optional('domain'),
    assigneeExpert: optional('assigneeExpert'),
    preferredBackend: optional('preferredBackend'),
    preferredModel: optional('preferredModel')
  }
}

/** Queues a task; checks it with the contract's schema before sending and shows the core’s refusals beside the field they concern. */
export function CreateTaskForm({
  onCreate,
  onOpen
}: {
  onCreate(input: TaskCreateInput): Promise<RpcError | null>
  onOpen(id: string): void
}): ReactNode {
  const createAccess = useWriteAccess('tasks.create')
  const [values, setValues] = useState(EMPTY)
  const [priority, setPriority] = useState<TaskPriority>('normal')
  const [errors, setErrors] = useState<Errors>({})
  const [existingId, setExistingId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const input = toInput(values, priority)
    // The contract's schema, the one the core checks the call with: the rules are written once.
    const found = validateForm(TaskCreateInputSchema, input, LABELS)
    setErrors(found ?? {})
    setExistingId(null)
    if (found) return
    setBusy(true)
    const refusal = await onCreate(input)
    setBusy(false)
    if (!refusal) {
      setValues(EMPTY)
      setPriority('normal')
      return
    }
    const byField: Errors = {}
    for (const issue of refusal.issues ?? []) {
      const field = issue.path.split('.')[0] as Field
      if (field in EMPTY) byField[field] = issue.message
    }
    if (refusal.code === 'conflict')
      setExistingId(refusal.issues?.find((i) => i.path === 'existingId')?.message ?? null)
    setErrors(Object.keys(byField).length > 0 ? byField : { form: refusal.message })
  }

  const field = (
    name: Field,
    label: string,
    props: { multiline?: boolean; placeholder?: string; required?: boolean } = {}
  ): ReactNode => {
    const error = errors[name]
    const common = {
      id: `task-${name}`,
      value: values[name],
      placeholder: props.placeholder,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error ? `task-${name}-error` : undefined,
      onChange: (e: { target: { value: string } }) => setValues({ ...values, [name]: e.target.value })
    }
    return (
      <div className={`task-field task-field-${name}`}>
        <label htmlFor={`task-${name}`}>
          {label}
          {props.required && <span aria-hidden="true"> *</span>}
        </label>
        {props.multiline ? <textarea rows={4} {...common} /> : <input type="text" {...common} />}
        {error && (
          <p className="field-error" id={`task-${name}-error`}>
            {error}
          </p>
        )}
      </div>
    )
  }

  return (
    <form className="task-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-task-title">
      <h2 id="create-task-title">New task</h2>
      {field('title', 'Title', { required: true, placeholder: 'Summarise the Q3 report' })}
      {field('description', 'Description', {
        required: true,
        multiline: true,
        placeholder: 'What should the answer contain?'
      })}
      <div className="task-form-row">
        <div className="task-field">
          <label htmlFor="task-priority">Priority</label>
          <select id="task-priority" value={priority} onChange={(e) => setPriority(e.target.value as TaskPriority)}>
            {TASK_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        {field('domain', 'Domain', { placeholder: 'finance' })}
        {field('assigneeExpert', 'Expert', { placeholder: 'analyst' })}
      </div>
      <div className="task-form-row">
        {field('preferredBackend', 'Preferred backend', { placeholder: 'any' })}
        {field('preferredModel', 'Preferred model', { placeholder: 'any' })}
      </div>
      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}{' '}
          {existingId && (
            <button type="button" className="link-button" onClick={() => onOpen(existingId)}>
              Open the existing task
            </button>
          )}
        </p>
      )}
      <button
        type="submit"
        disabled={busy || createAccess.blocked}
        title={createAccess.title}
        aria-describedby={createAccess.describedBy}
      >
        {busy ? 'Queuing…' : 'Queue task'}
      </button>
    </form>
  )
}
