import { randomUUID } from 'node:crypto'
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  unlink,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { sha256, type CodeFile } from './code-files'

/**
 * A code step's files on disk. Its tests run in a scratch copy of its working
 * folder with the files written in, so the person's folder is never touched
 * before they approve; applying writes them into the real folder all or none.
 * Every write refuses a path that goes through a symbolic link, so a link in
 * the project can never carry a file out of its folder.
 */
type FilesOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string }

/** What a scratch copy may hold: a project's sources, not its build output (node_modules is linked, .git left out). */
const SCRATCH_LIMITS = { maxFiles: 20_000, maxBytes: 256 * 1024 * 1024 } as const

/** A file the step wrote, with the real folder's content it replaces (null: a new file), so applying can tell if it changed since. */
export interface WrittenFile {
  readonly path: string
  readonly bytes: number
  readonly sha256: string
  readonly baseSha256: string | null
}

class Refused extends Error {}

const errorText = (error: unknown): string =>
  error instanceof Refused
    ? error.message
    : `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${(error as Error).message}`

async function statOrNull(path: string) {
  try {
    return await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Refuses a target whose folders or itself are a link or not what they must be; says which part. */
async function checkTarget(root: string, relative: string): Promise<void> {
  const segments = relative.split('/')
  for (let i = 0; i < segments.length; i++) {
    const part = segments.slice(0, i + 1).join('/')
    const stat = await statOrNull(join(root, part))
    if (!stat) return
    const last = i === segments.length - 1
    if (stat.isSymbolicLink())
      throw new Refused(
        `The file "${relative}" was refused: "${part}" is a symbolic link in ${root}, and a file is never written through a link. Write the file at its real path.`
      )
    if (!last && !stat.isDirectory())
      throw new Refused(`The file "${relative}" was refused: "${part}" is a file in ${root}, not a folder.`)
    if (last && !stat.isFile())
      throw new Refused(`The file "${relative}" was refused: it is a folder or a special file in ${root}.`)
  }
}

async function hashOf(path: string): Promise<string | null> {
  try {
    return sha256(await readFile(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Copies the folder, counting as it goes; node_modules folders are linked, not copied, and .git is left out. */
async function copyTree(
  from: string,
  to: string,
  budget: { files: number; bytes: number },
  root: string
): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.name === '.git') continue
    if (entry.isDirectory() && entry.name === 'node_modules') {
      await symlink(source, target, 'dir')
      continue
    }
    if (++budget.files > SCRATCH_LIMITS.maxFiles)
      throw new Refused(
        `The working folder ${root} holds more than ${SCRATCH_LIMITS.maxFiles} files (outside node_modules and .git); declare the project's own folder as the step's working folder.`
      )
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target)
    else if (entry.isDirectory()) await copyTree(source, target, budget, root)
    else if (entry.isFile()) {
      const content = await readFile(source)
      budget.bytes += content.length
      if (budget.bytes > SCRATCH_LIMITS.maxBytes)
        throw new Refused(
          `The working folder ${root} holds more than ${SCRATCH_LIMITS.maxBytes / 1024 / 1024} MiB (outside node_modules and .git); declare a smaller folder.`
        )
      await writeFile(target, content)
    }
  }
}

/**
 * Copies `folder` to a scratch folder, writes the files in, runs `work` there,
 * then removes the copy whatever happened. The real folder is only read.
 */
export async function inScratchCopy<T>(
  folder: string,
  files: readonly CodeFile[],
  work: (scratch: string, written: WrittenFile[]) => Promise<T>
): Promise<FilesOutcome<T>> {
  // The folder itself may be a link (a Mac's /tmp is one); what is refused is a link inside it.
  const root = await stat(folder).catch(() => null)
  if (!root?.isDirectory())
    return {
      ok: false,
      message: `The working folder "${folder}" does not exist or is not a folder; create it or declare the project's folder in the step's tests.cwd.`
    }
  let scratch: string | null = null
  try {
    scratch = await mkdtemp(join(tmpdir(), 'kos-scratch-'))
    const copy = join(scratch, 'work')
    await copyTree(folder, copy, { files: 0, bytes: 0 }, folder)
    const written: WrittenFile[] = []
    for (const file of files) {
      await checkTarget(folder, file.path)
      await checkTarget(copy, file.path)
      const target = join(copy, file.path)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, file.content)
      written.push({
        path: file.path,
        bytes: Buffer.byteLength(file.content),
        sha256: sha256(file.content),
        baseSha256: await hashOf(join(folder, file.path))
      })
    }
    return { ok: true, value: await work(copy, written) }
  } catch (error) {
    return { ok: false, message: `The scratch copy of ${folder} could not be made: ${errorText(error)}` }
  } finally {
    // rm does not follow the node_modules links: only the copy goes.
    if (scratch) await rm(scratch, { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * Writes the files into the real folder, all or none: every file must still
 * hold what it held when the tests ran on the copy (or still be absent), each
 * is first written beside its target, then all are renamed over; a failure
 * puts back what was there and removes the folders it made.
 */
export async function applyFiles(
  folder: string,
  files: readonly (CodeFile & { readonly baseSha256: string | null })[]
): Promise<FilesOutcome<{ readonly files: number; readonly bytes: number }>> {
  const stamp = `.kos-apply-${randomUUID().slice(0, 8)}`
  const staged: { target: string; temp: string; before: Buffer | null }[] = []
  const madeDirs: string[] = []
  const renamed: typeof staged = []
  try {
    const root = await stat(folder).catch(() => null)
    if (!root?.isDirectory()) throw new Refused(`The folder "${folder}" is gone; nothing was written.`)
    for (const file of files) {
      await checkTarget(folder, file.path)
      const target = join(folder, file.path)
      const now = await hashOf(target)
      // Written already by an apply the app died in the middle of: approving again finishes the rest.
      if (now !== null && now === sha256(file.content)) continue
      if (now !== file.baseSha256)
        throw new Refused(
          `"${file.path}" in ${folder} changed since the run's tests ran on a copy of it; nothing was written. Start the run again on the folder as it is now.`
        )
      const before = now === null ? null : await readFile(target)
      const mode = now === null ? null : (await lstat(target)).mode
      for (let dir = dirname(target); dir.length > folder.length && !(await statOrNull(dir)); dir = dirname(dir))
        madeDirs.unshift(dir)
      await mkdir(dirname(target), { recursive: true })
      const temp = `${target}${stamp}`
      await writeFile(temp, file.content, { flag: 'wx' })
      // A replaced file keeps its permissions (an executable script stays executable).
      if (mode !== null) await chmod(temp, mode & 0o7777)
      staged.push({ target, temp, before })
    }
    for (const entry of staged) {
      await rename(entry.temp, entry.target)
      renamed.push(entry)
    }
    return {
      ok: true,
      value: { files: files.length, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) }
    }
  } catch (error) {
    for (const entry of renamed.reverse())
      await (entry.before === null ? unlink(entry.target) : writeFile(entry.target, entry.before)).catch(
        () => undefined
      )
    for (const entry of staged) await unlink(entry.temp).catch(() => undefined)
    for (const dir of madeDirs.sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined)
    return { ok: false, message: errorText(error) }
  }
}
