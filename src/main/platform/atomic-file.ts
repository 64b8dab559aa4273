import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Writes `file` whole or not at all: the text goes to a temporary file
 * beside it, is flushed, and is renamed over the old one. A crash leaves the
 * old file or the new one; a failed write (a full disk) removes the
 * temporary file and throws, leaving the old file as it was.
 */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    const fd = openSync(temp, 'w', mode)
    try {
      writeFileSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}
