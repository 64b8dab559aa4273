import { useWriteAccess } from '../../model/use-view-model'
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { KNOWLEDGE_CALLS, type ImportProgress, type ImportReport } from '../../../../shared/contract/knowledge-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { callMaxBytes, formatBytes } from '../../../../shared/contract/limits'
import { validateForm } from '../../model/form-validation'

type TextField = 'title' | 'content' | 'domain'
const TEXT_LABELS: Readonly<Record<TextField, string>> = {
  title: 'The title',
  content: 'The text',
  domain: 'The domain'
}

/** Import a folder (its path typed: the headless host has no file picker) with progress, or add a text. */
export function ImportFolder(props: {
  importing: boolean
  progress: ImportProgress | null
  report: ImportReport | null
  error: RpcError | null
  onImport: (path: string, domain: string | null) => void
}): ReactNode {
  const importAccess = useWriteAccess('knowledge.importFolder')
  const [path, setPath] = useState('')
  const [domain, setDomain] = useState('')
  const pathId = useId()
  const domainId = useId()
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    props.onImport(path.trim(), domain.trim() || null)
  }
  const { progress, report } = props
  return (
    <form className="kb-form" onSubmit={submit} aria-label="Import a folder">
      <h3>Import a folder</h3>
      <p className="muted">
        Text, Markdown and source files under it are read; a file imported before is updated, not doubled. PDF is not
        read yet.
      </p>
      <label htmlFor={pathId}>Folder or file path</label>
      <input
        id={pathId}
        type="text"
        spellCheck={false}
        placeholder="/Users/you/Notes or ~/Notes"
        value={path}
        onChange={(e) => setPath(e.target.value)}
      />
      <label htmlFor={domainId}>Domain (optional)</label>
      <input
        id={domainId}
        type="text"
        placeholder="e.g. ops"
        value={domain}
        onChange={(e) => setDomain(e.target.value)}
      />
      <button
        type="submit"
        disabled={props.importing || path.trim() === '' || importAccess.blocked}
        title={importAccess.title}
        aria-describedby={importAccess.describedBy}
      >
        {props.importing ? 'Importing…' : 'Import'}
      </button>
      {props.importing && progress && !progress.done && (
        <div className="kb-import-progress" role="status">
          <progress max={Math.max(1, progress.filesTotal)} value={progress.filesDone} aria-label="Import progress" />
          <span className="muted">
            {progress.filesDone} of {progress.filesTotal} files{progress.current ? ` · ${progress.current}` : ''}
          </span>
        </div>
      )}
      {props.error && (
        <p className="field-error" role="alert">
          {props.error.message}
        </p>
      )}
      {report && (
        <div className="kb-report" role="status" data-testid="kb-import-report">
          <p>
            {report.added} added, {report.updated} updated, {report.unchanged} unchanged ({report.chunks} new chunks) in{' '}
            {(report.durationMs / 1000).toFixed(1)} s.
          </p>
          {report.skipped.length > 0 && (
            <details>
              <summary>{report.skipped.length} files left out</summary>
              <ul>
                {report.skipped.map((s) => (
                  <li key={s.path}>
                    <code>{s.path}</code>: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </form>
  )
}

export function AddText({
  busy,
  onAdd
}: {
  busy: boolean
  onAdd: (input: { title: string; content: string; domain: string | null }) => Promise<boolean>
}): ReactNode {
  const addAccess = useWriteAccess('knowledge.addText')
  const [title, setTitle] = useState('')
  const [content, setContent] = useState('')
  const [domain, setDomain] = useState('')
  const [errors, setErrors] = useState<Partial<Record<TextField, string>>>({})
  const ids = { title: useId(), content: useId(), domain: useId() }
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    // The contract's schema for knowledge.addText: its limits, said beside the field before anything is sent.
    const input = { title: title.trim(), content, ...(domain.trim() ? { domain: domain.trim() } : {}) }
    const invalid = validateForm(KNOWLEDGE_CALLS['knowledge.addText'].input, input, TEXT_LABELS)
    setErrors(invalid ?? {})
    if (invalid) return
    if (await onAdd({ title: input.title, content, domain: input.domain ?? null })) {
      setTitle('')
      setContent('')
    }
  }
  return (
    <form className="kb-form" onSubmit={(e) => void submit(e)} aria-label="Add a text">
      <h3>Add a text</h3>
      <label htmlFor={ids.title}>Title</label>
      <input
        id={ids.title}
        type="text"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        {...invalidProps(ids.title, errors.title)}
      />
      <FieldError id={ids.title} error={errors.title} />
      <label htmlFor={ids.content}>Text</label>
      <textarea
        id={ids.content}
        rows={5}
        value={content}
        onChange={(e) => setContent(e.target.value)}
        {...invalidProps(ids.content, errors.content)}
      />
      <FieldError id={ids.content} error={errors.content} />
      <p className="muted">Up to {formatBytes(callMaxBytes('knowledge.addText'))}; import anything larger as a file.</p>
      <label htmlFor={ids.domain}>Domain (optional)</label>
      <input
        id={ids.domain}
        type="text"
        value={domain}
        onChange={(e) => setDomain(e.target.value)}
        {...invalidProps(ids.domain, errors.domain)}
      />
      <FieldError id={ids.domain} error={errors.domain} />
      <button
        type="submit"
        disabled={busy || title.trim() === '' || content.trim() === '' || addAccess.blocked}
        title={addAccess.title}
        aria-describedby={addAccess.describedBy}
      >
        {busy ? 'Adding…' : 'Add'}
      </button>
    </form>
  )
}

const invalidProps = (id: string, error: string | undefined): { 'aria-invalid'?: true; 'aria-describedby'?: string } =>
  error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {}

function FieldError({ id, error }: { id: string; error: string | undefined }): ReactNode {
  return error ? (
    <p className="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null
}
