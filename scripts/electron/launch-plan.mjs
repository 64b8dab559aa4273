// What `npm start` and `npm run dev` launch: the window (Electron with its
// SQLite binding) or, where Electron cannot run, the reason why.
import { join } from 'node:path'
import { electronArch, findElectronBinary } from './electron-binary.mjs'
import { electronSqliteBinding } from './sqlite-binding.mjs'

/**
 * @param {{ root: string, electronDir?: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform, download?: boolean,
 *   buildBinding?: typeof electronSqliteBinding }} options
 * @returns {Promise<{ kind: 'window', electronPath: string, arch: string, sqliteBinding: string } | { kind: 'headless', reason: string }>}
 */
export async function planLaunch({
  root,
  electronDir = join(root, 'node_modules', 'electron'),
  env = process.env,
  platform = process.platform,
  download = true,
  buildBinding = electronSqliteBinding
}) {
  const binary = await findElectronBinary({ electronDir, env, download })
  if ('missing' in binary) return { kind: 'headless', reason: binary.missing }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { kind: 'headless', reason: 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset' }
  const arch = electronArch(binary.path, { platform, env })
  try {
    return { kind: 'window', electronPath: binary.path, arch, sqliteBinding: buildBinding({ root, arch, env }) }
  } catch (error) {
    return { kind: 'headless', reason: `SQLite could not be built for Electron ${arch} (${error.message})` }
  }
}
