import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { llamaWorkerFile } from './worker-file'

const tempDir = useTempDirs()

describe('llama worker file', () => {
  it('is found beside the caller or one folder up, as the build lays out chunks', () => {
    const out = tempDir()
    mkdirSync(join(out, 'chunks'))
    writeFileSync(join(out, 'llama-worker.js'), '')
    expect(llamaWorkerFile(out)).toBe(join(out, 'llama-worker.js'))
    expect(llamaWorkerFile(join(out, 'chunks'))).toBe(join(out, 'llama-worker.js'))
  })
})
