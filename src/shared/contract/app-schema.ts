import { z } from 'zod'

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
