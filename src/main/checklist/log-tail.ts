import { open } from 'node:fs/promises'

/** The last lines of a log file, read from its end so a large log costs no more than `maxBytes`. */
export async function tailLines(file: string, maxBytes = 256 * 1024, maxLines = 500): Promise<string[]> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch {
    return []
  }
  try {
    const { size } = await handle.stat()
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    await handle.read(buffer, 0, length, size - length)
    const lines = buffer.toString('utf8').split('\n')
    if (length < size) lines.shift()
    return lines.filter((l) => l.length > 0).slice(-maxLines)
  } finally {
    await handle.close()
  }
}
