import { useId, useState, type ReactNode } from 'react'
import { WORKFLOWS_CALLS, type WorkflowEntry } from '../../../../shared/contract/workflows-contract'
import { validateForm } from '../../model/form-validation'
import { useSelect, useWriteAccess } from '../../model/use-view-model'
import type { ViewModel } from '../../model/view-model'
import type { WorkflowsState } from '../../model/workflows/workflows-model'

/** `#/workflows?input=…&workflow=…`: the chat's "Make this a workflow" lands here with the message as the input. */
export function draftFromHash(): { input: string; workflowId: string | null; messageId: string | null } {
  const query = location.hash.split('?')[1] ?? ''
  const params = new URLSearchParams(query)
  return { input: params.get('input') ?? '', workflowId: params.get('workflow'), messageId: params.get('message') }
}

export function StartWorkflowForm({
  store,
  workflows
}: {
  store: ViewModel<WorkflowsState>
  workflows: readonly WorkflowEntry[]
}): ReactNode {
  const access = useWriteAccess('workflows.run')
  const id = useId()
  const starting = useSelect(store, (s) => s.starting)
  const [fromChat] = useState(draftFromHash)
  const [workflowId, setWorkflowId] = useState(fromChat.workflowId ?? workflows[0]?.definition.id ?? '')
  const [input, setInput] = useState(fromChat.input)
  const [title, setTitle] = useState('')
  const [folder, setFolder] = useState('')
  const [testCommand, setTestCommand] = useState('')
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({})
  const chosen = workflows.find((w) => w.definition.id === workflowId)?.definition
  const writesCode = chosen?.steps.some((s) => s.kind === 'code') ?? false
  const declaredTests = chosen?.steps.find((s) => s.kind === 'code' && s.tests)?.tests
  const project =
    writesCode && (folder.trim() || testCommand.trim())
      ? { folder: folder.trim(), testCommand: testCommand.trim() }
      : null

  const start = async (): Promise<void> => {
    const invalid = validateForm(
      WORKFLOWS_CALLS['workflows.run'].input,
      { workflowId, input, ...(title.trim() ? { title } : {}), ...(project ? { project } : {}) },
      { workflowId: 'Workflow', input: 'Input', title: 'Title', project: 'Project' }
    )
    if (invalid) return setErrors(invalid)
    if (project && !project.folder) return setErrors({ folder: 'Give the project folder, or clear the test command.' })
    if (project && !project.testCommand)
      return setErrors({ testCommand: 'Give the command that runs its tests, e.g. "npm test".' })
    const refusal = await store.getState().start({
      workflowId,
      input,
      title,
      ...(project ? { project } : {}),
      ...(fromChat.messageId && input === fromChat.input ? { messageId: fromChat.messageId } : {})
    })
    if (refusal) return setErrors({ form: refusal.message })
    setErrors({})
    setInput('')
    setTitle('')
    // The chat's prefill is used once; a reload must not offer it again.
    if (location.hash.includes('?')) history.replaceState(null, '', location.hash.split('?')[0])
  }

  return (
    <form className="card wf-start" aria-label="Start a workflow" onSubmit={(e) => (e.preventDefault(), void start())}>
      <h2>Start a workflow</h2>
      {fromChat.messageId && input === fromChat.input && (
        <p className="wf-note">From your chat message: pick the workflow and start it.</p>
      )}
      <label htmlFor={`${id}-workflow`}>Workflow</label>
      <select
        id={`${id}-workflow`}
        value={workflowId}
        onChange={(e) => setWorkflowId(e.target.value)}
        disabled={access.blocked}
      >
        {workflows.map((w) => (
          <option key={w.definition.id} value={w.definition.id}>
            {w.definition.title}
            {w.origin === 'user' ? ' (yours)' : ''}
          </option>
        ))}
      </select>
      {chosen && (
        <p className="wf-note">
          {chosen.description} Steps: {chosen.steps.map((s) => `${s.name} (${s.expert ?? s.role})`).join(' → ')}; at
          most {chosen.maxRounds} round{chosen.maxRounds === 1 ? '' : 's'}, {chosen.tokenBudget.toLocaleString()}{' '}
          tokens.
        </p>
      )}
      <label htmlFor={`${id}-input`}>Input</label>
      <textarea
        id={`${id}-input`}
        rows={5}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        placeholder="What should the workflow work on? e.g. “Write a function that parses ISO dates, with tests.”"
        aria-invalid={errors.input ? 'true' : undefined}
        disabled={access.blocked}
        title={access.title}
      />
      {errors.input && <p className="field-error">{errors.input}</p>}
      <label htmlFor={`${id}-title`}>
        Title <span className="wf-note">(optional; taken from the first line otherwise)</span>
      </label>
      <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} disabled={access.blocked} />
      {errors.title && <p className="field-error">{errors.title}</p>}
      {writesCode && (
        <details className="wf-project" open={Boolean(folder || testCommand)}>
          <summary>Project folder (optional)</summary>
          <p className="wf-note">
            The coder&apos;s files are tested with this command on a copy of the folder; the folder itself changes only
            when you approve applying them.
            {declaredTests
              ? ` Without these, it tests on ${declaredTests.cwd} with "${declaredTests.command}", as its file says.`
              : ' Without these, the code is reviewed but not tested or applied anywhere.'}
          </p>
          <label htmlFor={`${id}-folder`}>Folder</label>
          <input
            id={`${id}-folder`}
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            placeholder="/Users/me/projects/app"
            aria-invalid={errors.folder ? 'true' : undefined}
            disabled={access.blocked}
          />
          {errors.folder && <p className="field-error">{errors.folder}</p>}
          <label htmlFor={`${id}-tests`}>Test command</label>
          <input
            id={`${id}-tests`}
            value={testCommand}
            onChange={(e) => setTestCommand(e.target.value)}
            placeholder="npm test"
            aria-invalid={errors.testCommand ? 'true' : undefined}
            disabled={access.blocked}
          />
          {errors.testCommand && <p className="field-error">{errors.testCommand}</p>}
        </details>
      )}
      <div>
        <button
          type="submit"
          disabled={starting || access.blocked || !workflowId}
          title={access.title}
          aria-describedby={access.describedBy}
        >
          {starting ? 'Starting…' : 'Start'}
        </button>
      </div>
      {(errors.form ?? errors.workflowId) && (
        <p className="field-error" role="alert">
          {errors.form ?? errors.workflowId}
        </p>
      )}
    </form>
  )
}
