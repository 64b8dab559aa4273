import { integer, type SettingDefinition } from '../setting-builders'

/**
 * How much one model server is given at once, per kind of server. Both share
 * the Mac's GPU: the operators' most frequent crashes were Metal running out
 * of memory and Metal's assertion under parallel requests to MLX, so MLX gets
 * one request at a time by default. Each limit applies to every node of that
 * kind on its own, and counts model calls in flight: a batch of small tasks
 * answered by one call counts once, so batching works under MLX's cap of one.
 */
export const BACKEND_LIMITS_SETTINGS = {
  'ollama.maxHeavy': integer(1, 16, 'calls', 1, {
    category: 'Model servers',
    label: 'Heavy-model calls per Ollama node',
    description:
      'Calls to a heavy model (models.heavyModelGb) one Ollama node has in flight at once; a batch of tasks is one call.',
    env: ['KOS_OLLAMA_MAX_HEAVY', 'ADAPTIVE_MAX_HEAVY_OLLAMA'],
    applies: 'live'
  }),
  'ollama.maxConcurrent': integer(0, 64, 'calls', 0, {
    category: 'Model servers',
    label: 'Model calls per Ollama node',
    description:
      'Model calls one Ollama node has in flight at once, whatever the model (a batch of small tasks is one call); 0 leaves it to worker.maxConcurrency.',
    env: ['KOS_OLLAMA_MAX_CONCURRENT'],
    applies: 'live'
  }),
  'mlx.maxHeavy': integer(1, 16, 'calls', 1, {
    category: 'Model servers',
    label: 'Heavy-model calls per MLX node',
    description:
      'Calls to a heavy model one MLX (OpenAI-compatible) node has in flight at once; a batch of tasks is one call.',
    env: ['KOS_MLX_MAX_HEAVY', 'ADAPTIVE_MAX_HEAVY_MLX'],
    applies: 'live'
  }),
  'mlx.maxConcurrent': integer(0, 64, 'calls', 1, {
    category: 'Model servers',
    label: 'Model calls per MLX node',
    description:
      'Model calls one MLX (OpenAI-compatible) node has in flight at once, whatever the model; a batch of small tasks answered together is one call. 1 avoids Metal out-of-memory crashes and the Metal assertion under parallel load; 0 leaves it to worker.maxConcurrency.',
    env: ['KOS_MLX_MAX_CONCURRENT', 'MLX_MAX_CONCURRENT'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
