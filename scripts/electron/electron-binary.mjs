// Where Electron's binary is, and which architecture it runs as. Shared by
// `npm start`, `npm run dev` and the Electron e2e, so all three find the same
// binary and build SQLite for the same architecture.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The binary named by the electron package's own `path.txt` (written when its
 * download finished), under ELECTRON_OVERRIDE_DIST_PATH when that is set, as
 * electron's index.js resolves it.
 */
function installedBinary(electronDir, env) {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const path = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(electronDir, 'dist', relative)
  return existsSync(path) ? path : null
}

/**
 * Finds Electron's binary, downloading it first if `download` is set: electron
 * fetches it on the first `require`, printing "Downloading Electron binary..."
 * and the installer's output to stdout ahead of the path. So the path is read
 * back from `path.txt` after the download, and only failing that from the
 * last line of the output, never from the output as a whole.
 *
 * @param {{ electronDir: string, env?: NodeJS.ProcessEnv, download?: boolean, timeoutMs?: number }} options
 * @returns {Promise<{ path: string } | { missing: string }>}
 */
export async function findElectronBinary({ electronDir, env = process.env, download = true, timeoutMs = 300_000 }) {
  const installed = installedBinary(electronDir, env)
  if (installed) return { path: installed }
  const pathFile = join(electronDir, 'path.txt')
  if (!download)
    return {
      missing: `no Electron binary is installed (${pathFile} is absent or names a missing file: its download did not run or failed)`
    }
  const probe = await runNode(['-e', 'process.stdout.write(require(process.argv[1]))', electronDir], env, timeoutMs)
  const afterDownload = installedBinary(electronDir, env)
  if (afterDownload) return { path: afterDownload }
  const lastLine = `${probe.stdout ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1)
  if (probe.status === 0 && lastLine && existsSync(lastLine)) return { path: lastLine }
  const cause =
    `${probe.stderr ?? ''}${probe.error ? `\n${probe.error.message}` : ''}`
      .split('\n')
      .find((l) => /error|failed|ETIMEDOUT|ENOTFOUND/i.test(l))
      ?.trim() ?? 'no binary after the download'
  return { missing: `its binary could not be installed: ${cause}` }
}

/**
 * The architecture Electron's binary runs as, which is what a native module
 * must be built for. Under Rosetta an x64 Node reports `process.arch` x64
 * while electron's installer picked the arm64 binary, so Node's arch is the
 * wrong answer. The binary itself is asked (as Node, which the development
 * binary allows); failing that, the same Rosetta test electron's installer
 * makes; failing that, Node's own arch.
 *
 * @param {string} binaryPath
 * @param {{ platform?: NodeJS.Platform, arch?: string, env?: NodeJS.ProcessEnv, run?: (file: string, args: string[], env: NodeJS.ProcessEnv) => string }} [options]
 * @returns {string}
 */
export function electronArch(
  binaryPath,
  { platform = process.platform, arch = process.arch, env = process.env, run = runQuietly } = {}
) {
  const asked = run(binaryPath, ['-p', 'process.arch'], { ...env, ELECTRON_RUN_AS_NODE: '1' })
  if (/^(arm64|x64|ia32|arm)$/.test(asked)) return asked
  const forced = env.ELECTRON_INSTALL_ARCH || env.npm_config_arch
  if (forced) return forced
  if (platform === 'darwin' && arch === 'x64' && run('sysctl', ['-in', 'sysctl.proc_translated'], env) === '1')
    return 'arm64'
  return arch
}

/** Runs Node without blocking the event loop (the download can take minutes, and a test's mirror may share this process). */
function runNode(args, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.on('error', (error) => resolve({ status: null, stdout, stderr, error }))
    child.on('close', (status) => resolve({ status, stdout, stderr, error: undefined }))
  })
}

function runQuietly(file, args, env) {
  try {
    return execFileSync(file, args, {
      env,
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
  } catch {
    return ''
  }
}
