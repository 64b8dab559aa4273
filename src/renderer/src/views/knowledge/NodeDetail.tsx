import { useWriteAccess } from '../../model/use-view-model'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { KnowledgeNode } from '../../../../shared/contract/knowledge-contract'

/** One document in full, with its facts and a two-step delete. */
export function NodeDetail({
  node,
  deleting,
  onDelete,
  onClose
}: {
  node: KnowledgeNode
  deleting: boolean
  onDelete: () => void
  onClose: () => void
}): ReactNode {
  const deleteAccess = useWriteAccess('knowledge.delete')
  const [confirming, setConfirming] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    setConfirming(false)
    heading.current?.focus()
  }, [node.id])
  return (
    <section
      className="card kb-detail"
      aria-labelledby="kb-detail-title"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="kb-detail-head">
        <h2 id="kb-detail-title" ref={heading} tabIndex={-1}>
          {node.title}
        </h2>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close the document">
          Close
        </button>
      </div>
      <dl className="facts kb-detail-facts">
        <dt>Source</dt>
        <dd>{node.source ? <code>{node.source}</code> : 'typed in'}</dd>
        <dt>Domain</dt>
        <dd>{node.domain ?? '—'}</dd>
        <dt>Size</dt>
        <dd>
          {node.chars.toLocaleString()} characters in {node.chunkCount} {node.chunkCount === 1 ? 'chunk' : 'chunks'}
        </dd>
        <dt>Confidence</dt>
        <dd>{node.confidenceScore}</dd>
        <dt>Used in answers</dt>
        <dd>{node.usageCount} times</dd>
        <dt>Changed</dt>
        <dd>{new Date(node.updatedAt).toLocaleString()}</dd>
        <dt>Id</dt>
        <dd>
          <code>{node.id}</code>
        </dd>
      </dl>
      <pre className="kb-content" tabIndex={0} aria-label="Document text">
        {node.content}
      </pre>
      <div className="kb-detail-actions">
        {confirming ? (
          <>
            <button type="button" className="danger" disabled={deleting} onClick={onDelete}>
              {deleting ? 'Deleting…' : 'Delete for good'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button
            type="button"
            className="secondary danger-outline"
            onClick={() => setConfirming(true)}
            disabled={deleteAccess.blocked}
            title={deleteAccess.title}
            aria-describedby={deleteAccess.describedBy}
          >
            Delete…
          </button>
        )}
      </div>
    </section>
  )
}
