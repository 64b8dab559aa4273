import type { electronSqliteBinding } from './sqlite-binding.mjs'

export type LaunchPlan =
  { kind: 'window'; electronPath: string; arch: string; sqliteBinding: string } | { kind: 'headless'; reason: string }

export function planLaunch(options: {
  root: string
  electronDir?: string
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  download?: boolean
  buildBinding?: typeof electronSqliteBinding
}): Promise<LaunchPlan>
