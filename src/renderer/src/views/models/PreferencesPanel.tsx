import { useWriteAccess } from '../../model/use-view-model'
import { useState, type ReactNode } from 'react'
import type { ModelsOverview } from '../../../../shared/contract/models-contract'

/** The preferred model per task category; the router tries it first and falls back from there. */
export function PreferencesPanel({
  overview,
  busy,
  onSet
}: {
  overview: ModelsOverview
  busy: string | null
  onSet: (category: string, model: string | null) => void
}): ReactNode {
  const models = [...new Set(overview.nodes.flatMap((n) => n.models.map((m) => m.name)))].sort()
  return (
    <table className="pref-table">
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">Preferred model</th>
        </tr>
      </thead>
      <tbody>
        {overview.categories.map((category) => (
          <PreferenceRow
            key={category}
            category={category}
            current={overview.preferences.find((p) => p.category === category)?.model ?? null}
            models={models}
            busy={busy === `models.setPreference:${category}`}
            onSet={(model) => onSet(category, model)}
          />
        ))}
      </tbody>
    </table>
  )
}

function PreferenceRow({
  category,
  current,
  models,
  busy,
  onSet
}: {
  category: string
  current: string | null
  models: string[]
  busy: boolean
  onSet: (model: string | null) => void
}): ReactNode {
  const saveAccess = useWriteAccess('models.setPreference')
  const [draft, setDraft] = useState(current ?? '')
  const id = `pref-${category}`
  const listId = `${id}-models`
  return (
    <tr>
      <th scope="row">
        <label htmlFor={id}>{category}</label>
      </th>
      <td>
        <form
          className="pref-form"
          onSubmit={(e) => {
            e.preventDefault()
            onSet(draft.trim() === '' ? null : draft.trim())
          }}
        >
          <input
            id={id}
            list={listId}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={category === 'embedding' ? 'nomic-embed-text (default)' : 'any available model'}
          />
          <datalist id={listId}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <button
            type="submit"
            disabled={busy || draft.trim() === (current ?? '') || saveAccess.blocked}
            title={saveAccess.title}
            aria-describedby={saveAccess.describedBy}
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
          {!models.some((m) => m === current || m.startsWith(`${current ?? ''}:`)) && current && (
            <span className="notice">No node has {current} now.</span>
          )}
        </form>
      </td>
    </tr>
  )
}
