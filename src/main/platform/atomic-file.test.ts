import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { writeFileAtomic } from './atomic-file'

const tempDir = useTempDirs()

describe('writeFileAtomic', () => {
  it('replaces the file whole', () => {
    const dir = tempDir()
    const file = join(dir, 'settings.json')
    writeFileSync(file, 'old')
    writeFileAtomic(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('leaves no temporary file behind when the write fails, and throws the error with its code', () => {
    const dir = tempDir()
    // A folder where the file should go: the rename fails after the temporary file was written.
    const file = join(dir, 'report.json')
    mkdirSync(file)
    expect(() => writeFileAtomic(file, 'x')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^E/) }))
    expect(readdirSync(dir)).toEqual(['report.json'])
  })
})
