import { basename } from 'node:path'

export interface Profile {
  readonly name: string
  readonly description: string
  readonly settings: Readonly<Record<string, unknown>>
}

// Bundled at build time: profiles are read-only resources, not user files.
const files = import.meta.glob<unknown>('../../../resources/profiles/*.json', { eager: true, import: 'default' })

function toProfile(path: string, data: unknown): Profile {
  const name = basename(path, '.json')
  if (typeof data !== 'object' || data === null) throw new Error(`Profile ${name}: expected a JSON object`)
  const { description, settings } = data as Record<string, unknown>
  if (typeof description !== 'string' || typeof settings !== 'object' || settings === null) {
    throw new Error(`Profile ${name}: needs "description" (text) and "settings" (object)`)
  }
  return { name, description, settings: settings as Record<string, unknown> }
}

export function builtInProfiles(): ReadonlyMap<string, Profile> {
  return new Map(Object.entries(files).map(([path, data]) => [basename(path, '.json'), toProfile(path, data)]))
}
