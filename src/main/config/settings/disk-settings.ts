import { integer, type SettingDefinition } from '../setting-builders'

/** Free space on the disk holding the data dir: when the worker stops starting tasks, and when the checklist warns first. */
export const DISK_SETTINGS = {
  'disk.pauseBelowMb': integer(0, 1_000_000, 'MiB', 256, {
    category: 'Disk and files',
    label: 'Pause work below',
    description:
      "Below this much free space on the data dir's disk the worker starts no new task (running ones finish), and resumes by itself when space returns. 0 never pauses.",
    env: ['KOS_DISK_PAUSE_BELOW_MB'],
    applies: 'live'
  }),
  'disk.warnBelowMb': integer(0, 1_000_000, 'MiB', 2048, {
    category: 'Disk and files',
    label: 'Warn below',
    description:
      'Below this much free space the checklist and the health view warn, ahead of the pause (keep it above disk.pauseBelowMb).',
    env: ['KOS_DISK_WARN_BELOW_MB'],
    applies: 'live'
  })
} satisfies Record<string, SettingDefinition>
