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

/** What this window may do: the desktop window and the full-access link hold both scopes, the read-only link `read` only. */
export const SessionSchema = z.strictObject({
  access: z.enum(['full', 'readOnly']),
  scopes: z.array(z.enum(['read', 'write'])),
  /** How many calls that start work (a checklist run, a scan) this session may make a minute; null where no host limits them (the desktop window). */
  workPerMinute: z.number().nonnegative().nullable()
})
export type Session = z.infer<typeof SessionSchema>

/** What brought the resume path on: the OS (Electron's powerMonitor), the core's own clock check, or a person. */
export const RESUME_TRIGGERS = ['os', 'detected', 'manual'] as const

export const ResumeReportSchema = z.strictObject({
  trigger: z.enum(RESUME_TRIGGERS),
  /** How long the machine slept, when the core measured it; null for a resume by hand or by the OS. */
  sleptSec: z.number().nullable(),
  startedAt: z.iso.datetime(),
  /** Each step of the resume path in order, and whether it finished. */
  steps: z.array(z.strictObject({ step: z.string(), ok: z.boolean(), error: z.string().nullable() }))
})
export type ResumeReport = z.infer<typeof ResumeReportSchema>

export const APP_CALLS = {
  'app.info': call({
    scope: 'read',
    summary: 'Version, data locations and schema version of the running core.',
    input: EmptyInputSchema,
    output: AppInfoSchema
  }),
  'app.session': call({
    scope: 'read',
    summary:
      "What the caller's session may do: its access (full or read-only), its scopes, and its rate for calls that start work.",
    input: EmptyInputSchema,
    output: SessionSchema
  }),
  'system.resume': call({
    scope: 'write',
    summary:
      'Run the wake-from-sleep path now: check the supervised model servers, rescan the model nodes, prove the running tasks alive and look for work.',
    input: EmptyInputSchema,
    output: ResumeReportSchema
  })
} as const

export const AppNavigateSchema = z.strictObject({ view: z.string().min(1).max(32) })

export const APP_EVENTS = {
  /** The desktop shell asks the window to show a view (menu shortcut, notification click, tray item). */
  'app.navigate': AppNavigateSchema
} as const
