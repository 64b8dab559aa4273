import type { ReactNode } from 'react'
import type { NodeView } from '../../../../shared/contract/models-contract'
import { formatTime } from './format'

/** A node's open circuits: why nothing is planned on those models, and when the next probe runs. */
export function NodeCircuits({ node }: { node: NodeView }): ReactNode {
  if (node.circuits.length === 0) return null
  return (
    <ul className="circuit-list" aria-label={`Open circuits on ${node.label}`}>
      {node.circuits.map((c) => (
        <li key={c.model} className="circuit" data-testid="circuit">
          <strong>{c.state === 'half_open' ? 'Circuit open, probing' : 'Circuit open'}</strong> · {c.reason}.{' '}
          <span className="muted">
            Tasks for it wait without using attempts.
            {c.nextProbeAt ? ` Next probe ${formatTime(c.nextProbeAt)}` : ' A probe generation is running'}
            {c.lastProbeFailure ? ` (last probe: ${c.lastProbeFailure})` : ''}.
          </span>
        </li>
      ))}
    </ul>
  )
}
