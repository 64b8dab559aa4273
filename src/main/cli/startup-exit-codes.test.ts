import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OWNER_FILE } from '../db/instance-lock'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { smallFsUnavailable } from '../test-support/small-fs'
import { useSmallFs } from '../test-support/use-small-fs'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const smallFs = useSmallFs()
const noSmallFs = smallFsUnavailable()
if (noSmallFs) console.warn(`skipped: kos exit codes on a read-only or full disk (${noSmallFs})`)

/** One line, no stack trace: what a person sees in the terminal. */
function expectOneLine(err: readonly string[]): void {
  expect(err).toHaveLength(1)
  expect(err[0]).not.toMatch(/\n|    at /)
}

describe('kos exit codes at start-up', () => {
  it('exits 74 with one line when the database file is not a database, and leaves no instance.json', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'kos.db'), Buffer.alloc(8192, 1))
    for (const command of [['serve', '--port', '0'], ['status']]) {
      const { code, err } = await runKosInProcess([...command, '--data-dir', dir])
      expect(code).toBe(74)
      expectOneLine(err)
      expect(err[0]).toMatch(/^The database in .+ is unusable \(SQLITE_NOTADB while /)
      expect(existsSync(join(dir, OWNER_FILE))).toBe(false)
    }
  })

  it.skipIf(noSmallFs)(
    'exits 73 on a read-only data dir and 74 on a full one, one line each, no instance.json left',
    async () => {
      const fs = smallFs(4)
      const dir = join(fs.dir, 'data')
      expect((await runKosInProcess(['status', '--data-dir', dir])).code).toBe(0)

      fs.setReadOnly(true)
      const readOnly = await runKosInProcess(['serve', '--port', '0', '--data-dir', dir])
      expect(readOnly.code).toBe(73)
      expectOneLine(readOnly.err)
      expect(readOnly.err[0]).toMatch(new RegExp(`^The data dir ${dir} is not writable \\(`))
      fs.setReadOnly(false)

      fs.fill()
      const full = await runKosInProcess(['serve', '--port', '0', '--data-dir', dir])
      expect(full.code).toBe(74)
      expectOneLine(full.err)
      expect(full.err[0]).toMatch(
        /^Cannot start while .+: The disk holding .+ is full: \d+(\.\d)? MB free — free some space/
      )
      expect(existsSync(join(dir, OWNER_FILE))).toBe(false)
    }
  )
})
