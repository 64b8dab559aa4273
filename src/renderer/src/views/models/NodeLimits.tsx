import type { ReactNode } from 'react'
import { limitForKind, type BackendLimitValues } from '../../../../shared/backend-limits'
import type { NodeView } from '../../../../shared/contract/models-contract'

const SETTING_OF = {
  ollama: 'ollama.maxConcurrent / ollama.maxHeavy',
  openai: 'mlx.maxConcurrent / mlx.maxHeavy',
  embedded: 'worker.heavyPerBackend'
} as const

/** What each node is given at once: the scheduler never starts more, and the adaptive pool is sized to fit. */
export function NodeLimits({
  nodes,
  values,
  poolMax
}: {
  nodes: readonly NodeView[]
  values: BackendLimitValues
  poolMax: number
}): ReactNode {
  return (
    <table className="model-table" aria-label="Requests at once per node">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Tasks at once</th>
          <th scope="col">Heavy-model tasks at once</th>
          <th scope="col">Running now</th>
          <th scope="col">Setting</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => {
          const limit = limitForKind(node.kind, values)
          return (
            <tr key={node.id} data-testid="node-limit" data-node={node.id}>
              <td>{node.label}</td>
              <td>
                {limit.total === null
                  ? `no cap of its own (the pool runs up to ${poolMax})`
                  : limit.total === 1
                    ? 'one at a time'
                    : `up to ${limit.total}`}
              </td>
              <td>{limit.heavy === 1 ? 'one at a time' : `up to ${limit.heavy}`}</td>
              <td>{node.activeRequests}</td>
              <td>
                <code>{SETTING_OF[node.kind]}</code>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
