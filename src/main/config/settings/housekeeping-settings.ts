import { integer, type SettingDefinition } from '../setting-builders'

/** Housekeeping of the logs and exports folders (never the database). */
export const HOUSEKEEPING_SETTINGS = {
  'files.keepNewest': integer(1, 1000, 'files', 30, {
    category: 'Disk and files',
    label: 'Files kept',
    description: 'Files kept in each of logs/ and exports/, archives included; the oldest beyond are deleted.',
    env: ['KOS_FILES_KEEP_NEWEST'],
    applies: 'live'
  }),
  'files.compressAfterDays': integer(1, 365, 'days', 7, {
    category: 'Disk and files',
    label: 'Compress files after',
    description: 'Logs and exports older than this are gzipped.',
    env: ['KOS_FILES_COMPRESS_AFTER_DAYS'],
    applies: 'live'
  }),
  'files.warnMb': integer(10, 100_000, 'MiB', 500, {
    category: 'Disk and files',
    label: 'Warn when files take more than',
    description: 'Above this total, logs and exports are reported by the checklist and in the log.',
    env: ['KOS_FILES_WARN_MB'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
