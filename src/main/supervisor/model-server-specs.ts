import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ConfigService } from '../config/config-service'
import type { ProbeResult, ProcessSpec } from './supervised-process'

/**
 * The two model servers the app can run: `ollama serve` and
 * `mlx_lm.server`, each on the host and port of its URL setting. The
 * commands can be replaced (KOS_OLLAMA_COMMAND / KOS_MLX_COMMAND, split on
 * spaces) for servers installed elsewhere.
 */
export function modelServerSpecs(deps: {
  config: Pick<ConfigService, 'get'>
  env: NodeJS.ProcessEnv
  logsDir: string
  home: string
  usersRoot?: string
}): ProcessSpec[] {
  const { config, env } = deps
  const ollamaUrl = new URL(config.get('ollama.apiUrl'))
  const mlxUrl = new URL(config.get('mlx.apiUrl'))
  const [ollamaCmd = 'ollama', ...ollamaArgs] = (env.KOS_OLLAMA_COMMAND ?? 'ollama serve').split(/\s+/).filter(Boolean)
  const [mlxCmd = 'mlx_lm.server', ...mlxArgs] = (
    env.KOS_MLX_COMMAND ?? `mlx_lm.server --host ${mlxUrl.hostname} --port ${mlxUrl.port || '80'}`
  )
    .split(/\s+/)
    .filter(Boolean)
  const common = {
    probeIntervalMs: () => config.get('supervisor.probeIntervalSec') * 1000,
    maxRestartsPerHour: () => config.get('supervisor.maxRestartsPerHour'),
    ...(env.PATH ? { pathVariable: env.PATH } : {})
  }
  return [
    {
      id: 'ollama',
      label: 'Ollama',
      command: ollamaCmd,
      args: ollamaArgs,
      env: { OLLAMA_HOST: ollamaUrl.host },
      mode: () => config.get('supervisor.ollama'),
      probe: (signal) => probeJson(`${config.get('ollama.apiUrl').replace(/\/+$/, '')}/api/tags`, 'models', signal),
      logFile: join(deps.logsDir, 'ollama.log'),
      otherUsersModels: () => otherUsersOllamaModels(deps.home, deps.usersRoot ?? '/Users'),
      ...common
    },
    {
      id: 'mlx',
      label: 'MLX server',
      command: mlxCmd,
      args: mlxArgs,
      mode: () => config.get('supervisor.mlx'),
      probe: (signal) =>
        probeJson(`${config.get('mlx.apiUrl').replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/models`, 'data', signal),
      logFile: join(deps.logsDir, 'mlx.log'),
      ...common
    }
  ]
}

async function probeJson(url: string, listKey: string, signal: AbortSignal): Promise<ProbeResult> {
  try {
    const response = await fetch(url, { signal })
    if (!response.ok) return { ok: false, reason: `${url} answered HTTP ${response.status}` }
    const body = (await response.json()) as Record<string, unknown>
    const list = body[listKey]
    return { ok: true, modelCount: Array.isArray(list) ? list.length : null }
  } catch (error) {
    return { ok: false, reason: `${url} did not answer (${error instanceof Error ? error.message : String(error)})` }
  }
}

/** Ollama keeps models per user in ~/.ollama/models; count the manifests in the other users' folders. */
export function otherUsersOllamaModels(home: string, usersRoot: string): { dir: string; count: number }[] {
  let users: string[]
  try {
    users = readdirSync(usersRoot)
  } catch {
    return []
  }
  return users
    .map((user) => join(usersRoot, user, '.ollama', 'models'))
    .filter((dir) => !dir.startsWith(join(home, '.ollama')) && existsSync(join(dir, 'manifests')))
    .map((dir) => ({ dir, count: countFiles(join(dir, 'manifests'), 6) }))
    .filter((d) => d.count > 0)
}

function countFiles(dir: string, depth: number): number {
  if (depth === 0) return 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  return entries.reduce(
    (n, e) => n + (e.isFile() ? 1 : e.isDirectory() ? countFiles(join(dir, e.name), depth - 1) : 0),
    0
  )
}
