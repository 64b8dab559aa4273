import { useWriteAccess } from '../../model/use-view-model'
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { Expert } from '../../../../shared/contract/chat-contract'
import {
  TASK_PRIORITIES,
  TaskCreateInputSchema,
  type TaskCreateInput,
  type TaskPriority
} from '../../../../shared/contract/tasks-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { validateForm } from '../../model/form-validation'
import { assignmentOf, choiceOf, expertOptions } from '../../model/task-form/task-form-model'

type Field = 'title' | 'description' | 'domain' | 'assigneeExpert' | 'preferredBackend' | 'preferredModel'
type Errors = Partial<Record<Field | 'form', string>>
type TextField = Exclude<Field, 'assigneeExpert'>

const EMPTY = { title: '', description: '', domain: '', preferredBackend: '', preferredModel: '' }

const LABELS: Readonly<Record<Field, string>> = {
  title: 'Title',
  description: 'Description',
  domain: 'Domain',
  assigneeExpert: 'Expert',
  preferredBackend: 'Preferred backend',
  preferredModel: 'Preferred model'
}

/** The form's values as the call takes them: trimmed, empty optional fields left out, the expert as chosen. */
function toInput(values: typeof EMPTY, priority: TaskPriority, expert: string): TaskCreateInput {
  const optional = (key: TextField): string | undefined => values[key].trim() || undefined
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    priority,
    domain: optional('domain'),
    ...assignmentOf(choiceOf(expert)),
    preferredBackend: optional('preferredBackend'),
    preferredModel: optional('preferredModel')
  }
}

/**
 * Queues a task, shown at the top of the Tasks view. The Expert field
 * defaults to the lead agent's pick, which the core really makes (by the
 * domain, given or read from the text), so a task is never left unassigned
 * by accident. Checked with the contract's schema before sending; the
 * core's refusals are shown beside the field they concern.
 */
export function CreateTaskForm({
  experts,
  onCreate,
  onOpen,
  onClose
}: {
  experts: readonly Expert[] | null
  onCreate(input: TaskCreateInput): Promise<RpcError | null>
  onOpen(id: string): void
  onClose(): void
}): ReactNode {
  const createAccess = useWriteAccess('tasks.create')
  const [values, setValues] = useState(EMPTY)
  const [priority, setPriority] = useState<TaskPriority>('normal')
  const [expert, setExpert] = useState('auto')
  const [errors, setErrors] = useState<Errors>({})
  const [existingId, setExistingId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [queued, setQueued] = useState<string | null>(null)
  const titleRef = useRef<HTMLInputElement>(null)

  useEffect(() => titleRef.current?.focus(), [])

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const input = toInput(values, priority, expert)
    // The contract's schema, the one the core checks the call with: the rules are written once.
    const found = validateForm(TaskCreateInputSchema, input, LABELS)
    setErrors(found ?? {})
    setExistingId(null)
    setQueued(null)
    if (found) return
    setBusy(true)
    const refusal = await onCreate(input)
    setBusy(false)
    if (!refusal) {
      setQueued(input.title)
      setValues(EMPTY)
      setPriority('normal')
      setExpert('auto')
      titleRef.current?.focus()
      return
    }
    const byField: Errors = {}
    for (const issue of refusal.issues ?? []) {
      const field = issue.path.split('.')[0] as Field
      if (field in LABELS) byField[field] = issue.message
    }
    if (refusal.code === 'conflict')
      setExistingId(refusal.issues?.find((i) => i.path === 'existingId')?.message ?? null)
    setErrors(Object.keys(byField).length > 0 ? byField : { form: refusal.message })
  }

  const described = (name: Field): { 'aria-invalid'?: true; 'aria-describedby'?: string } =>
    errors[name] ? { 'aria-invalid': true, 'aria-describedby': `task-${name}-error` } : {}
  const errorOf = (name: Field): ReactNode =>
    errors[name] && (
      <p className="field-error" id={`task-${name}-error`}>
        {errors[name]}
      </p>
    )
  const field = (
    name: TextField,
    props: { multiline?: boolean; placeholder?: string; required?: boolean } = {}
  ): ReactNode => {
    const common = {
      id: `task-${name}`,
      value: values[name],
      placeholder: props.placeholder,
      ...described(name),
      onChange: (e: { target: { value: string } }) => setValues({ ...values, [name]: e.target.value })
    }
    return (
      <div className={`task-field task-field-${name}`}>
        <label htmlFor={`task-${name}`}>
          {LABELS[name]}
          {props.required && <span aria-hidden="true"> *</span>}
        </label>
        {props.multiline ? (
          <textarea rows={3} {...common} />
        ) : (
          <input type="text" {...common} ref={name === 'title' ? titleRef : undefined} />
        )}
        {errorOf(name)}
      </div>
    )
  }

  return (
    <form
      className="task-form"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      noValidate
      aria-labelledby="create-task-title"
    >
      <h2 id="create-task-title">New task</h2>
      <div className="task-form-row task-form-main">
        {field('title', { required: true, placeholder: 'Summarise the Q3 report' })}
        <div className="task-field task-field-assigneeExpert">
          <label htmlFor="task-assigneeExpert">{LABELS.assigneeExpert}</label>
          <select
            id="task-assigneeExpert"
            value={expert}
            onChange={(e) => setExpert(e.target.value)}
            {...described('assigneeExpert')}
          >
            {expertOptions(experts ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {errorOf('assigneeExpert')}
        </div>
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
      </div>
      {field('description', { required: true, multiline: true, placeholder: 'What should the answer contain?' })}
      <div className="task-form-row">
        {field('domain', { placeholder: 'read from the text' })}
        {field('preferredBackend', { placeholder: 'any' })}
        {field('preferredModel', { placeholder: 'any' })}
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
      <div className="task-form-actions">
        <span className="muted" role="status">
          {queued ? `Queued “${queued}”.` : ''}
        </span>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
        <button
          type="submit"
          disabled={busy || createAccess.blocked}
          title={createAccess.title}
          aria-describedby={createAccess.describedBy}
        >
          {busy ? 'Queuing…' : 'Queue task'}
        </button>
      </div>
    </form>
  )
}
