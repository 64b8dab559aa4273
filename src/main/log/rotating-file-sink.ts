import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { LogSink } from './logger'

export interface RotatingFileSink extends LogSink {
  readonly file: string
  /** Lines lost to a failing disk since the last one written (0 while writes succeed). */
  readonly dropped: number
  close(): void
}

export interface SinkOptions {
  readonly dir: string
  readonly name: string
  readonly maxBytes: number
  readonly maxFiles: number
  /** The disk write, replaced by tests that make it fail as a full disk does. */
  readonly writeFile?: (fd: number, bytes: Uint8Array) => number
  readonly now?: () => Date
}

/**
 * Appends lines to `<dir>/<name>.log`; past maxBytes the file becomes
 * `<name>.1.log`, older ones shift up and the oldest beyond maxFiles is
 * deleted. Writes are synchronous so no line is lost when the process is
 * killed; a log line costs a page-cache write, not a disk flush.
 *
 * A write never throws into the code that logs: on a full or failing disk
 * the line is dropped and counted, and the first line written once the
 * disk takes writes again is a warning saying how many were lost. (The
 * crash this prevents: a request failing for lack of space, logged, and the
 * log write throwing ENOSPC out of the logger.)
 */
export function createRotatingFileSink(options: SinkOptions): RotatingFileSink {
  const { dir, name, maxBytes, maxFiles } = options
  const writeFile = options.writeFile ?? ((fd: number, bytes: Uint8Array) => writeSync(fd, bytes))
  const now = options.now ?? (() => new Date())
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.log`)
  const numbered = (n: number): string => join(dir, `${name}.${n}.log`)
  let fd: number | null = openSync(file, 'a')
  let size = fstatSync(fd).size
  let dropped = 0
  let firstDropAt: string | null = null
  let lastError = ''
  /** A line cut short by the disk filling up: the next write starts on a new line. */
  let cut = false

  const rotate = (): void => {
    if (fd !== null) closeSync(fd)
    fd = null
    rmSync(numbered(maxFiles - 1), { force: true })
    for (let n = maxFiles - 2; n >= 1; n--) {
      if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1))
    }
    if (maxFiles > 1) renameSync(file, numbered(1))
    else rmSync(file, { force: true })
    fd = openSync(file, 'a')
    size = 0
  }

  /** Writes all of `text` or throws; what a short write left is marked so the next line starts clean. */
  const append = (text: string): void => {
    if (fd === null) {
      fd = openSync(file, 'a')
      size = fstatSync(fd).size
    }
    const bytes = Buffer.from(text)
    let offset = 0
    while (offset < bytes.length) {
      const written = writeFile(fd, offset === 0 ? bytes : bytes.subarray(offset))
      if (written <= 0) throw Object.assign(new Error('no bytes written'), { code: 'ENOSPC' })
      offset += written
      size += written
      cut = offset < bytes.length
    }
  }

  return {
    file,
    get dropped() {
      return dropped
    },
    write(line) {
      try {
        if (size > 0 && size + Buffer.byteLength(line) > maxBytes) rotate()
        if (cut) append('\n')
        cut = false
        if (dropped > 0) {
          append(
            `${JSON.stringify({ ts: now().toISOString(), level: 'warn', msg: 'log lines were dropped: the disk could not take them', dropped, since: firstDropAt, error: lastError })}\n`
          )
          dropped = 0
          firstDropAt = null
        }
        append(line)
      } catch (error) {
        if (dropped === 0) firstDropAt = now().toISOString()
        dropped++
        lastError = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }
    },
    close() {
      if (fd !== null) closeSync(fd)
      fd = null
    }
  }
}
