import { z } from 'zod'
import { call } from './define'

export const AppInfoSchema = z.strictObject({
  productName: z.string(),
  version: z.string(),
  platform: z.string(),
  pid: z.number().int(),
  startedAt: z.iso.datetime(),
  dataDir: z.string(),
  databaseFile: z.string(),
  logFile: z.string(),
  schemaVersion: z.number().int()
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const EmptyInputSchema = z.strictObject({})

export const APP_CALLS = {
  'app.info': call({
    scope: 'read',
    summary: 'Version, data locations and schema version of the running core.',
    input: EmptyInputSchema,
    output: AppInfoSchema
  })
} as const

export const AppNavigateSchema = z.strictObject({ view: z.string().min(1).max(32) })

export const APP_EVENTS = {
  /** The desktop shell asks the window to show a view (menu shortcut, notification click, tray item). */
  'app.navigate': AppNavigateSchema
} as const
