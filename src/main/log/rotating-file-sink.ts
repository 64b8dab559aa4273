import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { LogSink } from './logger'

export interface RotatingFileSink extends LogSink {
  readonly file: string
  close(): void
}

/**
 * Appends lines to `<dir>/<name>.log`; past maxBytes the file becomes
 * `<name>.1.log`, older ones shift up and the oldest beyond maxFiles is
 * deleted. Writes are synchronous so no line is lost when the process is
 * killed; a log line costs a page-cache write, not a disk flush.
 */
export function createRotatingFileSink(options: { dir: string; name: string; maxBytes: number; maxFiles: number }): RotatingFileSink {
  const { dir, name, maxBytes, maxFiles } = options
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.log`)
  const numbered = (n: number): string => join(dir, `${name}.${n}.log`)
  let fd = openSync(file, 'a')
  let size = fstatSync(fd).size

  const rotate = (): void => {
    closeSync(fd)
    rmSync(numbered(maxFiles - 1), { force: true })
    for (let n = maxFiles - 2; n >= 1; n--) {
      if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1))
    }
    if (maxFiles > 1) renameSync(file, numbered(1))
    else rmSync(file, { force: true })
    fd = openSync(file, 'a')
    size = 0
  }

  return {
    file,
    write(line) {
      const bytes = Buffer.byteLength(line)
      if (size > 0 && size + bytes > maxBytes) rotate()
      writeSync(fd, line)
      size += bytes
    },
    close() {
      closeSync(fd)
    }
  }
}
