import type { ReactNode } from 'react'
import { PageEnd } from '../../components/PageEnd'
import type { PagedList } from '../../model/paged-list'
import type {
  KnowledgeNodeSummary,
  KnowledgeSearchOutput,
  SearchHit
} from '../../../../shared/contract/knowledge-contract'
import { hitRelevance } from '../../../../shared/hit-relevance'

/** Hits with how well each matches, in words, and a highlighted snippet; each opens its document. */
export function SearchResults({
  results,
  query,
  selected,
  onOpen
}: {
  results: KnowledgeSearchOutput
  query: string
  selected: string | null
  onOpen: (id: string) => void
}): ReactNode {
  return (
    <section aria-label="Search results">
      <p className="muted kb-mode" data-testid="kb-search-mode">
        {results.mode === 'hybrid' ? 'By full text and meaning' : `By full text only: ${results.lexicalReason ?? ''}`} ·{' '}
        {results.hits.length} {results.hits.length === 1 ? 'hit' : 'hits'} in {results.tookMs} ms
      </p>
      {results.hits.length === 0 ? (
        <p className="kb-empty">Nothing matches “{query}”. Try other words, or fewer.</p>
      ) : (
        <ol className="kb-hits">
          {results.hits.map((hit) => (
            <li key={hit.node.id}>
              <button
                type="button"
                className={`kb-hit${selected === hit.node.id ? ' selected' : ''}`}
                aria-current={selected === hit.node.id}
                onClick={() => onOpen(hit.node.id)}
              >
                <span className="kb-hit-title">{hit.node.title}</span>
                <span className="kb-hit-snippet">
                  {hit.snippet.map((part, i) =>
                    part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>
                  )}
                </span>
                <HitScores hit={hit} />
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

function HitScores({ hit }: { hit: SearchHit }): ReactNode {
  const relevance = hitRelevance(hit)
  return (
    <span className="kb-scores">
      <span
        className={`kb-relevance kb-relevance-${relevance.level}`}
        title={relevance.detail}
        data-testid="kb-relevance"
      >
        {relevance.label}
      </span>
      {hit.node.domain && <span className="kb-tag">{hit.node.domain}</span>}
    </span>
  )
}

/** Every document, newest change first, when no search is shown. */
export function DocumentList({
  documents,
  selected,
  onOpen,
  onMore
}: {
  documents: PagedList<KnowledgeNodeSummary>
  selected: string | null
  onOpen: (id: string) => void
  onMore: () => void
}): ReactNode {
  const { items: nodes, total } = documents
  return (
    <section aria-label="Documents">
      <p className="muted kb-mode">
        {total === nodes.length
          ? `${total} documents`
          : `The ${nodes.length} most recently changed of ${total ?? 'more'} documents; more as you scroll`}
      </p>
      <ul className="kb-hits">
        {nodes.map((node) => (
          <li key={node.id}>
            <button
              type="button"
              className={`kb-hit${selected === node.id ? ' selected' : ''}`}
              aria-current={selected === node.id}
              onClick={() => onOpen(node.id)}
            >
              <span className="kb-hit-title">{node.title}</span>
              <span className="kb-scores">
                <span>
                  {node.chunkCount} {node.chunkCount === 1 ? 'chunk' : 'chunks'}
                </span>
                <span>{node.chars.toLocaleString()} chars</span>
                {node.domain && <span className="kb-tag">{node.domain}</span>}
                {node.source && <span className="kb-source">{node.source}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <PageEnd
        more={documents.nextCursor !== null}
        loading={documents.loading}
        label={total !== null ? `Show more of the ${total} documents` : 'Show more documents'}
        onMore={onMore}
      />
    </section>
  )
}
