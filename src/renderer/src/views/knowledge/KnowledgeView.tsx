import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { ViewHeader } from '../../components/ViewHeader'
import { knowledgeModel } from '../../model/knowledge/knowledge-model'
import { useSelect, useViewModel } from '../../model/use-view-model'
import { AddText, ImportFolder } from './AddKnowledge'
import { NodeDetail } from './NodeDetail'
import { DocumentList, SearchResults } from './SearchResults'
import { StatsCard } from './StatsCard'
import './knowledge.css'

/** `#/knowledge/<document>` opens that document (the Team panel links what an expert learned here). */
function documentFromHash(): string | null {
  const id = /^#\/knowledge\/([^/?]+)/.exec(location.hash)?.[1]
  return id ? decodeURIComponent(id) : null
}

export function KnowledgeView(): ReactNode {
  const model = useViewModel(knowledgeModel, undefined)
  const refreshing = useSelect(model, (s) => s.refreshing)
  const loadError = useSelect(model, (s) => s.loadError)
  const actionError = useSelect(model, (s) => s.actionError)
  const notice = useSelect(model, (s) => s.notice)
  const loaded = useSelect(model, (s) => s.loaded)
  const stats = useSelect(model, (s) => s.stats)
  const busy = useSelect(model, (s) => s.busy)
  const searching = useSelect(model, (s) => s.searching)
  const results = useSelect(model, (s) => s.results)
  const searchedFor = useSelect(model, (s) => s.searchedFor)
  const searchError = useSelect(model, (s) => s.searchError)
  const documents = useSelect(model, (s) => s.documents)
  const detail = useSelect(model, (s) => s.detail)
  const detailError = useSelect(model, (s) => s.detailError)
  const detailLoading = useSelect(model, (s) => s.detailLoading)
  const importing = useSelect(model, (s) => s.importing)
  const progress = useSelect(model, (s) => s.progress)
  const report = useSelect(model, (s) => s.report)
  const importError = useSelect(model, (s) => s.importError)
  const {
    refresh,
    loadMore,
    search,
    clearSearch,
    open,
    close,
    importFolder,
    addText,
    remove,
    reembed,
    clearResponseCache
  } = model.getState()
  useEffect(() => {
    const openFromHash = (): void => {
      const id = documentFromHash()
      if (id) void open(id)
    }
    openFromHash()
    window.addEventListener('hashchange', openFromHash)
    return () => window.removeEventListener('hashchange', openFromHash)
  }, [open])
  const [query, setQuery] = useState('')
  const [domain, setDomain] = useState('')
  const queryId = useId()
  const domainId = useId()

  const submit = (e: FormEvent): void => {
    e.preventDefault()
    void search(query, domain || null)
  }
  const selected = detail?.id ?? null

  return (
    <>
      <ViewHeader
        title="Knowledge"
        subtitle="The knowledge base the agents draw on: searched by full text and by meaning."
        actions={
          <button type="button" onClick={() => void refresh()} disabled={refreshing}>
            {refreshing ? 'Reading…' : 'Refresh'}
          </button>
        }
      />
      {loadError && (
        <p className="field-error" role="alert">
          {loadError.message}
        </p>
      )}
      {actionError && (
        <p className="field-error" role="alert">
          {actionError.message}
        </p>
      )}
      {notice && (
        <p className="kb-notice" role="status">
          {notice}
        </p>
      )}
      {!loaded && (
        <p className="muted" role="status">
          Reading the knowledge base…
        </p>
      )}
      {stats && (
        <StatsCard
          stats={stats}
          busy={busy === 'reembedding'}
          onReembed={() => void reembed()}
          onClearCache={() => void clearResponseCache()}
        />
      )}

      {loaded && (
        <div className="kb-columns">
          <div className="kb-main">
            <form className="card kb-search" role="search" onSubmit={submit}>
              <label htmlFor={queryId} className="kb-visually-hidden">
                Search the knowledge base
              </label>
              <input
                id={queryId}
                type="search"
                placeholder="Search documents, in any language…"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
              <label htmlFor={domainId} className="kb-visually-hidden">
                Domain
              </label>
              <select id={domainId} value={domain} onChange={(e) => setDomain(e.target.value)}>
                <option value="">All domains</option>
                {(stats?.domains ?? []).map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
              <button type="submit" disabled={searching || query.trim() === ''}>
                {searching ? 'Searching…' : 'Search'}
              </button>
              {results && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    setQuery('')
                    clearSearch()
                  }}
                >
                  Show all
                </button>
              )}
            </form>
            {searchError && (
              <p className="field-error" role="alert">
                {searchError.message}
              </p>
            )}
            <div className="card kb-list">
              {results ? (
                <SearchResults
                  results={results}
                  query={searchedFor}
                  selected={selected}
                  onOpen={(id) => void open(id)}
                />
              ) : documents.items.length === 0 ? (
                <div className="kb-empty">
                  <h2>The knowledge base is empty</h2>
                  <p>
                    Import a folder of notes, documents or code, or add a text. Each document is cut into chunks, found
                    by full text at once, and by meaning once an embedding model has read it.
                  </p>
                </div>
              ) : (
                <DocumentList
                  documents={documents}
                  selected={selected}
                  onOpen={(id) => void open(id)}
                  onMore={() => void loadMore()}
                />
              )}
            </div>
          </div>
          <div className="kb-side">
            {detailError && (
              <p className="field-error" role="alert">
                {detailError.message}
              </p>
            )}
            {detailLoading && (
              <p className="muted" role="status">
                Opening…
              </p>
            )}
            {detail && (
              <NodeDetail
                node={detail}
                deleting={busy === 'deleting'}
                onDelete={() => void remove(detail!.id)}
                onClose={close}
              />
            )}
            <section className="card" aria-label="Add knowledge">
              <ImportFolder
                importing={importing}
                progress={progress}
                report={report}
                error={importError}
                onImport={(path, d) => void importFolder(path, d)}
              />
              <AddText busy={busy === 'adding'} onAdd={addText} />
            </section>
          </div>
        </div>
      )}
    </>
  )
}
