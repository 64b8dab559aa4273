import { createReadStream, createWriteStream } from 'node:fs'
import { readdir, rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'

export interface RotationPolicy {
  /** Files kept per folder (archives included), newest first; older ones are deleted. */
  readonly keepNewest: number
  readonly compressAfterDays: number
  /** Above this total the report says so, for the log and the checklist. */
  readonly warnBytes: number
  /** Names never touched: the file being written now. */
  readonly activeNames: readonly string[]
}

export interface RotationReport {
  readonly folder: string
  readonly compressed: readonly string[]
  readonly deleted: readonly string[]
  readonly totalBytes: number
  readonly overBound: boolean
}

const DATABASE_FILE = /\.(db|sqlite)(-wal|-shm|-journal|-held)?$/i
const DAY_MS = 86_400_000

/**
 * Housekeeping of a folder of logs or exports: files older than a week are
 * gzipped into archives named by their last write (so size-based log
 * rotation, which renames kos.N.log, never collides with them), only the
 * newest N files are kept, and the total is measured. Database files are
 * never touched, whatever folder this is pointed at.
 */
export async function rotateFolder(folder: string, policy: RotationPolicy, now: Date): Promise<RotationReport> {
  const compressed: string[] = []
  const deleted: string[] = []
  const files = await listFiles(folder)
  const candidates = files.filter((f) => !policy.activeNames.includes(f.name) && !DATABASE_FILE.test(f.name))

  for (const file of candidates) {
    if (file.name.endsWith('.gz') || now.getTime() - file.mtimeMs < policy.compressAfterDays * DAY_MS) continue
    const archive = `${file.name.replace(/(\.\d+)?\.(log|md|json|txt)$/, '')}-${stamp(file.mtimeMs)}.${file.name.split('.').pop()}.gz`
    try {
      await pipeline(
        createReadStream(join(folder, file.name)),
        createGzip(),
        createWriteStream(join(folder, archive), { flags: 'wx' })
      )
    } catch (error) {
      // A full disk stops the archive half-way: remove it, keep the original, and try again at the next sweep.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(join(folder, archive), { force: true })
      throw error
    }
    await utimes(join(folder, archive), file.mtimeMs / 1000, file.mtimeMs / 1000)
    await rm(join(folder, file.name))
    compressed.push(archive)
  }

  const after = (await listFiles(folder)).filter(
    (f) => !policy.activeNames.includes(f.name) && !DATABASE_FILE.test(f.name)
  )
  after.sort((a, b) => b.mtimeMs - a.mtimeMs)
  for (const file of after.slice(policy.keepNewest)) {
    await rm(join(folder, file.name), { force: true })
    deleted.push(file.name)
  }
  const totalBytes = (await listFiles(folder)).reduce((sum, f) => sum + f.size, 0)
  return { folder, compressed, deleted, totalBytes, overBound: totalBytes > policy.warnBytes }
}

async function listFiles(folder: string): Promise<{ name: string; mtimeMs: number; size: number }[]> {
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return []
  }
  const found: { name: string; mtimeMs: number; size: number }[] = []
  for (const name of names) {
    try {
      const info = await stat(join(folder, name))
      if (info.isFile()) found.push({ name, mtimeMs: info.mtimeMs, size: info.size })
    } catch {
      // Gone between readdir and stat: nothing to rotate.
    }
  }
  return found
}

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}
