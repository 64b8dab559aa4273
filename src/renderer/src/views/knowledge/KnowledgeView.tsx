import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { ViewHeader } from '../../components/ViewHeader'
import { useViewStore } from '../../store/use-view-store'
import { AddText, ImportFolder } from './AddKnowledge'
import { createKnowledgeViewStore } from './knowledge-view-store'
import { NodeDetail } from './NodeDetail'
import { DocumentList, SearchResults } from './SearchResults'
import { StatsCard } from './StatsCard'
import './knowledge.css'

const REFRESH = (state: { refresh(): Promise<void> }): Promise<void> => state.refresh()

export function KnowledgeView(): ReactNode {
  const s = useViewStore(createKnowledgeViewStore, REFRESH)
  const [query, setQuery] = useState('')
  const [domain, setDomain] = useState('')
  const queryId = useId()
  const domainId = useId()

  const submit = (e: FormEvent): void => {
    e.preventDefault()
    void s.search(query, domain || null)
  }
  const selected = s.detail?.id ?? null

  return (
    <>
      <ViewHeader
        title="Knowledge"
        subtitle="The knowledge base the agents draw on: searched by full text and by meaning."
        actions={
          <button type="button" onClick={() => void s.refresh()} disabled={s.refreshing}>
            {s.refreshing ? 'Reading…' : 'Refresh'}
          </button>
        }
      />
      {s.loadError && <p className="field-error" role="alert">{s.loadError.message}</p>}
      {s.actionError && <p className="field-error" role="alert">{s.actionError.message}</p>}
      {s.notice && <p className="kb-notice" role="status">{s.notice}</p>}
      {!s.loaded && <p className="muted" role="status">Reading the knowledge base…</p>}
      {s.stats && <StatsCard stats={s.stats} busy={s.busy === 'reembedding'} onReembed={() => void s.reembed()} onClearCache={() => void s.clearResponseCache()} />}

      {s.loaded && (
        <div className="kb-columns">
          <div className="kb-main">
            <form className="card kb-search" role="search" onSubmit={submit}>
              <label htmlFor={queryId} className="kb-visually-hidden">Search the knowledge base</label>
              <input id={queryId} type="search" placeholder="Search documents, in any language…" value={query} onChange={(e) => setQuery(e.target.value)} />
              <label htmlFor={domainId} className="kb-visually-hidden">Domain</label>
              <select id={domainId} value={domain} onChange={(e) => setDomain(e.target.value)}>
                <option value="">All domains</option>
                {(s.stats?.domains ?? []).map((d) => (
                  <option key={d} value={d}>{d}</option>
                ))}
              </select>
              <button type="submit" disabled={s.searching || query.trim() === ''}>{s.searching ? 'Searching…' : 'Search'}</button>
              {s.results && (
                <button type="button" className="secondary" onClick={() => { setQuery(''); s.clearSearch() }}>
                  Show all
                </button>
              )}
            </form>
            {s.searchError && <p className="field-error" role="alert">{s.searchError.message}</p>}
            <div className="card kb-list">
              {s.results ? (
                <SearchResults results={s.results} query={s.searchedFor} selected={selected} onOpen={(id) => void s.open(id)} />
              ) : s.total === 0 ? (
                <div className="kb-empty">
                  <h2>The knowledge base is empty</h2>
                  <p>Import a folder of notes, documents or code, or add a text. Each document is cut into chunks, found by full text at once, and by meaning once an embedding model has read it.</p>
                </div>
              ) : (
                <DocumentList nodes={s.nodes} total={s.total} selected={selected} onOpen={(id) => void s.open(id)} />
              )}
            </div>
          </div>
          <div className="kb-side">
            {s.detailError && <p className="field-error" role="alert">{s.detailError.message}</p>}
            {s.detailLoading && <p className="muted" role="status">Opening…</p>}
            {s.detail && <NodeDetail node={s.detail} deleting={s.busy === 'deleting'} onDelete={() => void s.remove(s.detail!.id)} onClose={s.close} />}
            <section className="card" aria-label="Add knowledge">
              <ImportFolder importing={s.importing} progress={s.progress} report={s.report} error={s.importError} onImport={(path, d) => void s.importFolder(path, d)} />
              <AddText busy={s.busy === 'adding'} onAdd={s.addText} />
            </section>
          </div>
        </div>
      )}
    </>
  )
}
