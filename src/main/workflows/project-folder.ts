import { readdirSync, statSync } from 'node:fs'

/** Why a project folder cannot be used for a run's tests, or null when it can. */
export type ProjectFolderProblem = 'missing' | 'not_a_folder' | 'unreadable'

/**
 * Checks a project folder the way the scratch copy will use it: it must be a
 * folder whose entries can be listed, since the copy reads every one of them.
 */
export function projectFolderProblem(path: string): ProjectFolderProblem | null {
  try {
    if (!statSync(path).isDirectory()) return 'not_a_folder'
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? 'unreadable' : 'missing'
  }
  try {
    readdirSync(path)
    return null
  } catch {
    // EACCES or EPERM: it exists, but the tests' copy could not read it.
    return 'unreadable'
  }
}

/** What to tell the person about a project folder's problem: the value, what is wrong and what to do. */
export function describeProjectFolderProblem(problem: ProjectFolderProblem, folder: string): string {
  if (problem === 'missing') return `The project folder "${folder}" does not exist; pick an existing folder.`
  if (problem === 'not_a_folder')
    return `The project folder "${folder}" is a file, not a folder; give the folder that holds the project.`
  return `The project folder "${folder}" cannot be read by this app; allow it to read the folder (chmod u+rx, or Full Disk Access on macOS), or pick another.`
}
