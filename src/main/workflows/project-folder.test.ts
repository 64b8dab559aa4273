import type * as nodeFs from 'node:fs'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { describeProjectFolderProblem, projectFolderProblem } from './project-folder'

// Listing a folder this process may not read fails with EACCES; tests run as root here, where
// permissions never refuse, so that failure is made by hand for one named folder.
const LOCKED = '/locked-project'
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>()
  return {
    ...fs,
    statSync: ((path: string, ...rest: []) =>
      path === LOCKED ? { isDirectory: () => true } : fs.statSync(path, ...rest)) as typeof fs.statSync,
    readdirSync: ((path: string, ...rest: []) => {
      if (path === LOCKED)
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' })
      return fs.readdirSync(path, ...rest)
    }) as typeof fs.readdirSync
  }
})

const tempDir = useTempDirs()

describe('a project folder for a run', () => {
  it('is usable when it is a folder that can be listed, and otherwise says which of missing, file or unreadable', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'app'))
    writeFileSync(join(dir, 'notes.txt'), 'x')
    expect(projectFolderProblem(join(dir, 'app'))).toBeNull()
    expect(projectFolderProblem(join(dir, 'gone'))).toBe('missing')
    expect(projectFolderProblem(join(dir, 'notes.txt'))).toBe('not_a_folder')
    expect(projectFolderProblem(LOCKED)).toBe('unreadable')
    expect(describeProjectFolderProblem('unreadable', LOCKED)).toBe(
      'The project folder "/locked-project" cannot be read by this app; allow it to read the folder (chmod u+rx, or Full Disk Access on macOS), or pick another.'
    )
  })
})
