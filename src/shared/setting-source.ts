import type { SettingSource } from './contract/config-contract'

/** How a setting's source is named to people, in the CLI, the log and the Settings view alike. */
export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case 'cli':
      return `command-line flag ${source.flag}`
    case 'env':
      return `environment variable ${source.name}`
    case 'user':
      return `settings file ${source.file}`
    case 'profile':
      return `profile "${source.profile}"`
    case 'default':
      return 'built-in default'
  }
}

/** True when the value comes from somewhere the settings file cannot override. */
export function outranksUserFile(source: SettingSource): boolean {
  return source.kind === 'cli' || source.kind === 'env'
}

/** The source in a word or two, for a badge; describeSource gives the whole of it for the tooltip. */
export function shortSource(source: SettingSource): string {
  switch (source.kind) {
    case 'cli':
      return `Command line ${source.flag}`
    case 'env':
      return `Environment ${source.name}`
    case 'user':
      return 'Your settings'
    case 'profile':
      return `Profile “${source.profile}”`
    case 'default':
      return 'Default'
  }
}
