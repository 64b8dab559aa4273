import { useWriteAccess } from '../../model/use-view-model'
import { useEffect, useState, type ReactNode } from 'react'
import type { Expert } from '../../../../shared/contract/chat-contract'
import { useChatView } from './use-chat-view'

export function ExpertsPanel(): ReactNode {
  const experts = useChatView((s) => s.experts)
  const loadExperts = useChatView((s) => s.loadExperts)
  useEffect(() => void loadExperts(), [loadExperts])
  if (!experts)
    return (
      <section className="card" aria-label="Team">
        <p className="muted" role="status">
          Reading the team…
        </p>
      </section>
    )
  return (
    <section className="card" aria-label="Team">
      <h2>The team</h2>
      <p className="muted small">
        The lead agent answers quick questions and coordinates; requests to produce something go to the expert whose
        domains match. Edits are kept in this app’s database; Reset brings back the built-in definition.
      </p>
      <div className="experts">
        {experts.map((e) => (
          <ExpertCard key={e.id} expert={e} />
        ))}
      </div>
    </section>
  )
}

function ExpertCard({ expert }: { expert: Expert }): ReactNode {
  const editAccess = useWriteAccess('chat.experts.update')
  const resetAccess = useWriteAccess('chat.experts.reset')
  const update = useChatView((s) => s.updateExpert)
  const reset = useChatView((s) => s.resetExpert)
  const learning = useChatView((s) => s.learning[expert.id])
  const [open, setOpen] = useState(false)
  const [draft, setDraft] = useState({
    name: expert.name,
    role: expert.role,
    domains: expert.domains.join(', '),
    modelCategory: expert.modelCategory,
    systemPrompt: expert.systemPrompt
  })
  const [refusal, setRefusal] = useState<string | null>(null)
  useEffect(
    () =>
      setDraft({
        name: expert.name,
        role: expert.role,
        domains: expert.domains.join(', '),
        modelCategory: expert.modelCategory,
        systemPrompt: expert.systemPrompt
      }),
    [expert]
  )

  const save = async (): Promise<void> => {
    const error = await update(expert.id, {
      ...draft,
      domains: draft.domains
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
    })
    setRefusal(error?.message ?? null)
    if (!error) setOpen(false)
  }
  const field = (key: keyof typeof draft, label: string): ReactNode => (
    <label className="expert-field">
      <span>{label}</span>
      {key === 'systemPrompt' ? (
        <textarea rows={6} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      ) : (
        <input value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      )}
    </label>
  )

  return (
    <article className="expert" aria-label={expert.name} data-expert={expert.id}>
      <header>
        <strong>{expert.name}</strong> <span className="muted">{expert.role}</span>
        {expert.lead && <span className="badge">lead agent</span>}
        {expert.edited && <span className="badge warn">edited</span>}
      </header>
      <p className="muted small">
        Domains: {expert.domains.join(', ')} · model category: {expert.modelCategory}
      </p>
      {learning && learning.length > 0 && (
        <div className="small" aria-label={`${expert.name} is learning`} data-testid="expert-learning">
          Learning:
          <ul>
            {learning.map((item) => (
              <li key={item.id}>
                {item.noteId ? (
                  <a href={`#/knowledge/${encodeURIComponent(item.noteId)}`} title="Open what was learned">
                    {item.title}
                  </a>
                ) : (
                  item.title
                )}{' '}
                <span className="muted">
                  ({item.status.replace(/_/g, ' ')}
                  {item.noteId ? ', in the knowledge base' : ''})
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {open ? (
        <div className="expert-form">
          {field('name', 'Name')}
          {field('role', 'Role')}
          {field('domains', 'Domains (comma-separated)')}
          {field('modelCategory', 'Model category')}
          {field('systemPrompt', 'System prompt')}
          {refusal && (
            <p className="field-error" role="alert">
              {refusal}
            </p>
          )}
          <div className="row">
            <button type="button" onClick={() => void save()}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="row">
          <button
            type="button"
            className="secondary"
            onClick={() => setOpen(true)}
            disabled={editAccess.blocked}
            title={editAccess.title}
            aria-describedby={editAccess.describedBy}
          >
            Edit
          </button>
          {expert.edited && (
            <button
              type="button"
              className="secondary"
              onClick={() => void reset(expert.id)}
              disabled={resetAccess.blocked}
              title={resetAccess.title}
              aria-describedby={resetAccess.describedBy}
            >
              Reset
            </button>
          )}
        </div>
      )}
    </article>
  )
}
