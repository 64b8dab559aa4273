import { integer, type SettingDefinition } from '../setting-builders'

/**
 * How much one model server is given at once, per kind of server. Both share
 * the Mac's GPU: the operators' most frequent crashes were Metal running out
 * of memory and Metal's assertion under parallel requests to MLX, so MLX gets
 * one request at a time by default. Each limit applies to every node of that
 * kind on its own.
 */
export const BACKEND_LIMITS_SETTINGS = {
  'ollama.maxHeavy': integer(1, 16, 'tasks', 1, {
    category: 'Model servers',
    label: 'Heavy tasks per Ollama node',
    description: 'Tasks on a heavy model (models.heavyModelGb) that one Ollama node runs at once.',
    env: ['KOS_OLLAMA_MAX_HEAVY', 'ADAPTIVE_MAX_HEAVY_OLLAMA'],
    applies: 'live'
  }),
  'ollama.maxConcurrent': integer(0, 64, 'tasks', 0, {
    category: 'Model servers',
    label: 'Tasks per Ollama node',
    description: 'Tasks one Ollama node runs at once, whatever the model; 0 leaves it to worker.maxConcurrency.',
    env: ['KOS_OLLAMA_MAX_CONCURRENT'],
    applies: 'live'
  }),
  'mlx.maxHeavy': integer(1, 16, 'tasks', 1, {
    category: 'Model servers',
    label: 'Heavy tasks per MLX node',
    description: 'Tasks on a heavy model that one MLX (OpenAI-compatible) node runs at once.',
    env: ['KOS_MLX_MAX_HEAVY', 'ADAPTIVE_MAX_HEAVY_MLX'],
    applies: 'live'
  }),
  'mlx.maxConcurrent': integer(0, 64, 'tasks', 1, {
    category: 'Model servers',
    label: 'Tasks per MLX node',
    description:
      'Tasks one MLX (OpenAI-compatible) node runs at once, whatever the model. 1 avoids Metal out-of-memory crashes and the Metal assertion under parallel load; 0 leaves it to worker.maxConcurrency.',
    env: ['KOS_MLX_MAX_CONCURRENT', 'MLX_MAX_CONCURRENT'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
