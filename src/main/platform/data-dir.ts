import { homedir } from 'node:os'
import { join } from 'node:path'
import { APP_IDENTITY } from '../../shared/app-identity'
import type { SettingSource } from '../../shared/contract/config-contract'

export interface PlatformInfo {
  readonly platform: NodeJS.Platform
  readonly env: NodeJS.ProcessEnv
  readonly home: string
}

export function currentPlatform(): PlatformInfo {
  return { platform: process.platform, env: process.env, home: homedir() }
}

/**
 * Where a user's data lives when nothing says otherwise: the same folder
 * Electron's app.getPath('userData') picks on the Mac and Windows, and the XDG
 * data dir on Linux, so the desktop app and the headless host share one store.
 */
export function defaultDataDir({ platform, env, home }: PlatformInfo): string {
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_IDENTITY.productName)
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_IDENTITY.productName)
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), APP_IDENTITY.slug)
  }
}

export const DATA_DIR_FLAG = '--data-dir'
export const DATA_DIR_ENV = 'KOS_DATA_DIR'

export function resolveDataDir(
  cliValue: string | undefined,
  info: PlatformInfo
): { readonly path: string; readonly source: SettingSource } {
  if (cliValue) return { path: cliValue, source: { kind: 'cli', flag: DATA_DIR_FLAG } }
  const fromEnv = info.env[DATA_DIR_ENV]
  if (fromEnv) return { path: fromEnv, source: { kind: 'env', name: DATA_DIR_ENV } }
  return { path: defaultDataDir(info), source: { kind: 'default' } }
}
