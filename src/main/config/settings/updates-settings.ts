import { choice, optionalUrl, type SettingDefinition } from '../setting-builders'

/** Where the desktop app looks for its updates (the headless host and `kos` ignore them). */
export const UPDATES_SETTINGS = {
  'updates.provider': choice(['off', 'generic', 'github'], 'off', {
    category: 'General',
    label: 'Update source',
    description:
      'Where the desktop app looks for updates: off, a web folder (generic) or GitHub Releases. Checked at start and daily; downloaded in the background.',
    env: ['KOS_UPDATES_PROVIDER'],
    applies: 'live',
    inProfiles: false
  }),
  'updates.url': optionalUrl({
    category: 'General',
    label: 'Update address',
    description:
      'Empty until you publish updates. generic: the URL of the folder holding latest-mac.yml; github: https://github.com/<owner>/<repo>.',
    env: ['KOS_UPDATES_URL'],
    applies: 'live',
    inProfiles: false
  })
} satisfies Record<string, SettingDefinition>
