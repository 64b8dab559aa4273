import { useWriteAccess } from '../../model/use-view-model'
import type { ReactNode } from 'react'
import type { KnowledgeStats } from '../../../../shared/contract/knowledge-contract'
import { describeEmbedding, formatBytes } from './format'

/** Collection statistics and what the background embedder is doing, with a progress bar while it works. */
export function StatsCard({
  stats,
  busy,
  onReembed,
  onClearCache
}: {
  stats: KnowledgeStats
  busy: boolean
  onReembed: () => void
  onClearCache: () => void
}): ReactNode {
  const reembedAccess = useWriteAccess('knowledge.reembed')
  const clearAccess = useWriteAccess('knowledge.clearResponseCache')
  const e = stats.embedding
  const canReembed = e.state === 'model_changed' || e.state === 'idle' || e.state === 'failed'
  return (
    <section className="card kb-stats" aria-labelledby="kb-stats-title">
      <h2 id="kb-stats-title">Collection</h2>
      <dl className="kb-figures" data-testid="kb-stats">
        <div>
          <dt>Documents</dt>
          <dd data-testid="kb-stat-nodes">{stats.nodes}</dd>
        </div>
        <div>
          <dt>Chunks</dt>
          <dd>{stats.chunks}</dd>
        </div>
        <div>
          <dt>Embedded</dt>
          <dd>{stats.chunks === 0 ? '—' : `${stats.embeddedPercent}%`}</dd>
        </div>
        <div>
          <dt>Size on disk</dt>
          <dd>{formatBytes(stats.bytesOnDisk)}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{stats.collection ? `${stats.collection.modelId} · ${stats.collection.dimension}d` : 'none yet'}</dd>
        </div>
        <div>
          <dt>Cached answers</dt>
          <dd>{stats.responseCacheEntries}</dd>
        </div>
      </dl>
      <p className={`kb-embedding kb-embedding-${e.state}`} role="status" data-testid="kb-embedding">
        {describeEmbedding(e, stats.chunks)}
      </p>
      {e.state === 'embedding' && (
        <progress
          className="kb-progress"
          max={Math.max(1, e.total)}
          value={e.done}
          aria-label={e.rebuilding ? 'Re-embedding progress' : 'Embedding progress'}
        />
      )}
      <div className="kb-stats-actions">
        {canReembed && (
          <button
            type="button"
            className={e.state === 'model_changed' ? '' : 'secondary'}
            disabled={busy || reembedAccess.blocked}
            onClick={onReembed}
            title={reembedAccess.title}
            aria-describedby={reembedAccess.describedBy}
          >
            {e.state === 'model_changed' ? `Re-embed with ${e.current.id}` : 'Re-embed everything'}
          </button>
        )}
        <button
          type="button"
          className="secondary"
          disabled={stats.responseCacheEntries === 0 || clearAccess.blocked}
          onClick={onClearCache}
          title={clearAccess.title}
          aria-describedby={clearAccess.describedBy}
        >
          Clear cached answers
        </button>
      </div>
    </section>
  )
}
