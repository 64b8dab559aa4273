import { parseArgs } from '../config/cli-args'
import { runKos } from '../cli/run-kos'
import { OFFLINE_ENV } from './offline-env'

/**
 * Runs a `kos` command in this process, as bin/kos.js would, collecting what
 * it prints. `untilStopped` stands for SIGINT/SIGTERM of a long-running
 * command (serve, follow); `out` may be passed to watch output as it comes.
 */
export async function runKosInProcess(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; untilStopped?: () => Promise<void>; out?: string[] } = {}
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out = options.out ?? []
  const err: string[] = []
  const parsed = parseArgs(argv)
  if (!parsed.ok) throw new Error(parsed.message)
  const code = await runKos({
    args: parsed.args,
    platform: { platform: 'linux', env: { ...OFFLINE_ENV, ...options.env }, home: '/nonexistent' },
    appVersion: '1.2.3',
    rendererDir: '/nonexistent',
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    untilStopped: options.untilStopped ?? (() => Promise.resolve())
  })
  return { code, out, err }
}
