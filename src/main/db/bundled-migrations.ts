import { parseMigrationFiles, type Migration } from './migrations'

// Bundled at build time so the packaged app and the CLI carry their schema with them.
const files = import.meta.glob<string>('../../../migrations/*.sql', { eager: true, query: '?raw', import: 'default' })

/** The numbered SQL files of migrations/, in order; a repeated number is a build error. */
export function bundledMigrations(): Migration[] {
  return parseMigrationFiles(files)
}
