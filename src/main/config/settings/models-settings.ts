import { choice, flagOf, integer, url, type SettingDefinition } from '../setting-builders'

/**
 * Model servers, the router and the supervisor. The two legacy variable
 * names of the system this replaces are read too. Chat and generate requests
 * use llm.requestTimeoutSec (worker settings), the one value the worker waits
 * for too; the other request kinds have their own timeout here.
 */
export const MODELS_SETTINGS = {
  'ollama.apiUrl': url('http://localhost:11434', {
    category: 'Model servers',
    label: 'Ollama server',
    description: 'The Ollama server on this Mac.',
    env: ['KOS_OLLAMA_API_URL', 'OLLAMA_API_URL'],
    applies: 'live'
  }),
  'mlx.apiUrl': url('http://localhost:11435', {
    category: 'Model servers',
    label: 'MLX server',
    description: 'The OpenAI-compatible MLX server (mlx_lm.server) on this Mac.',
    env: ['KOS_MLX_API_URL', 'MLX_API_URL'],
    applies: 'live'
  }),
  'models.embedTimeoutSec': integer(1, 600, 's', 60, {
    category: 'Models',
    label: 'Embedding timeout',
    description: 'How long one embedding request may take.',
    env: ['KOS_MODELS_EMBED_TIMEOUT_SEC'],
    applies: 'live'
  }),
  'models.scanTimeoutSec': integer(1, 60, 's', 5, {
    category: 'Models',
    label: 'Scan timeout',
    description: 'How long a node may take to answer a scan (models, loaded models) before it counts as unreachable.',
    env: ['KOS_MODELS_SCAN_TIMEOUT_SEC'],
    applies: 'live'
  }),
  'models.scanIntervalSec': integer(2, 3600, 's', 30, {
    category: 'Models',
    label: 'Scan every',
    description: 'How often every node is scanned for reachability, models and loaded models.',
    env: ['KOS_MODELS_SCAN_INTERVAL_SEC'],
    applies: 'live'
  }),
  'models.scanTtlSec': integer(1, 3600, 's', 10, {
    category: 'Models',
    label: 'Trust a scan for',
    description: 'How long a scan result is trusted before routing scans the node again.',
    env: ['KOS_MODELS_SCAN_TTL_SEC'],
    applies: 'live'
  }),
  'models.loadBufferSec': integer(5, 1800, 's', 120, {
    category: 'Models',
    label: 'Model load allowance',
    description: 'How long to wait for a model that is not in memory to load before its first request.',
    env: ['KOS_MODELS_LOAD_BUFFER_SEC'],
    applies: 'live'
  }),
  'models.keepAliveMin': integer(0, 1440, 'min', 30, {
    category: 'Models',
    label: 'Keep models in memory for',
    description: 'How long Ollama keeps a model in memory after its last request.',
    env: ['KOS_MODELS_KEEP_ALIVE_MIN'],
    applies: 'live'
  }),
  'models.heavyModelGb': integer(1, 512, 'GB', 12, {
    category: 'Models',
    label: 'Heavy model size',
    description: 'Models at least this large count as heavy: the task engine runs fewer of them at once.',
    env: ['KOS_MODELS_HEAVY_MODEL_GB'],
    applies: 'live'
  }),
  'models.maxFallbacks': integer(0, 10, 'candidates', 2, {
    category: 'Models',
    label: 'Fallbacks per request',
    description: 'How many other node/model candidates a request falls back to after an error, timeout or echo.',
    env: ['KOS_MODELS_MAX_FALLBACKS'],
    applies: 'live'
  }),
  'models.circuitFailurePercent': integer(1, 100, '%', 30, {
    category: 'Models',
    label: 'Stop using a failing model at',
    description:
      'A node/model whose generations fail more often than this within the circuit window stops being planned on (its circuit opens) until a probe succeeds; tasks wait instead of using attempts. 30% is the operators’ alert level for failing over.',
    env: ['KOS_MODELS_CIRCUIT_FAILURE_PERCENT'],
    applies: 'live'
  }),
  'models.circuitMinRequests': integer(1, 100, 'generations', 5, {
    category: 'Models',
    label: 'Generations before judging',
    description: 'How many generations the circuit window must hold before their failure share can open the circuit.',
    env: ['KOS_MODELS_CIRCUIT_MIN_REQUESTS'],
    applies: 'live'
  }),
  'models.circuitWindowSec': integer(5, 3600, 's', 120, {
    category: 'Models',
    label: 'Failure window',
    description: 'How far back the circuit looks at a node/model’s generations.',
    env: ['KOS_MODELS_CIRCUIT_WINDOW_SEC'],
    applies: 'live'
  }),
  'models.circuitProbeMinSec': integer(1, 600, 's', 1, {
    category: 'Models',
    label: 'First probe after',
    description:
      'Wait after a circuit opens before one tiny real generation probes it; each failed probe doubles the wait.',
    env: ['KOS_MODELS_CIRCUIT_PROBE_MIN_SEC'],
    applies: 'live'
  }),
  'models.circuitProbeMaxSec': integer(1, 3600, 's', 4, {
    category: 'Models',
    label: 'Longest wait between probes',
    description:
      'The longest wait between probes of an open circuit. A probe is a one-token generation, so probing often costs little, while waiting longer delays the queue after the server recovers.',
    env: ['KOS_MODELS_CIRCUIT_PROBE_MAX_SEC'],
    applies: 'live'
  }),
  'models.generationStatsMin': integer(1, 1440, 'min', 15, {
    category: 'Models',
    label: 'Success ratio looks back',
    description: 'How far back the per-node generation success ratio looks (Models view, health, checklist).',
    env: ['KOS_MODELS_GENERATION_STATS_MIN'],
    applies: 'live'
  }),
  'supervisor.ollama': choice(['off', 'adopt', 'manage'], 'manage', {
    category: 'Model servers',
    label: 'Run Ollama for me',
    description:
      'Whether the app starts `ollama serve` when it is not running (manage), only watches a running one (adopt), or leaves it alone (off).',
    env: ['KOS_SUPERVISOR_OLLAMA'],
    applies: 'live'
  }),
  'supervisor.mlx': choice(['off', 'adopt', 'manage'], 'off', {
    category: 'Model servers',
    label: 'Run MLX for me',
    description: 'The same for `mlx_lm.server`.',
    env: ['KOS_SUPERVISOR_MLX'],
    applies: 'live'
  }),
  'supervisor.probeIntervalSec': integer(1, 3600, 's', 30, {
    category: 'Model servers',
    label: 'Check servers every',
    description: 'How often each supervised server is probed.',
    env: ['KOS_SUPERVISOR_PROBE_INTERVAL_SEC'],
    applies: 'live'
  }),
  'supervisor.maxRestartsPerHour': integer(0, 100, 'restarts', 5, {
    category: 'Model servers',
    label: 'Restarts per hour before alerting',
    description: 'Restarts per process per hour before it is marked as needing attention.',
    env: ['KOS_SUPERVISOR_MAX_RESTARTS_PER_HOUR'],
    applies: 'live'
  }),
  'embedded.enabled': flagOf(false, {
    category: 'Model servers',
    label: 'Embedded engine (llama.cpp)',
    description: 'Offer the GGUF files in the data dir’s models folder through the embedded llama.cpp engine.',
    env: ['KOS_EMBEDDED_ENABLED'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
