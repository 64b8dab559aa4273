import { url, type SettingDefinition } from '../setting-builders'

/** Model servers. The two legacy variable names of the system this replaces are read too. */
export const MODELS_SETTINGS = {
  'ollama.apiUrl': url('http://localhost:11434', {
    category: 'Models',
    description: 'The Ollama server on this Mac.',
    env: ['KOS_OLLAMA_API_URL', 'OLLAMA_API_URL'],
    applies: 'live'
  }),
  'mlx.apiUrl': url('http://localhost:11435', {
    category: 'Models',
    description: 'The OpenAI-compatible MLX server (mlx_lm.server) on this Mac.',
    env: ['KOS_MLX_API_URL', 'MLX_API_URL'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
