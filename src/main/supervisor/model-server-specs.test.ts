import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { otherUsersOllamaModels } from './model-server-specs'

const tempDir = useTempDirs()

describe('other users’ Ollama models', () => {
  it('counts manifests under other users’ homes and ignores the current user', () => {
    const root = tempDir()
    const manifest = (user: string, name: string): void => {
      const dir = join(root, user, '.ollama', 'models', 'manifests', 'registry.ollama.ai', 'library', name)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'latest'), '{}')
    }
    manifest('anna', 'llama3.2')
    manifest('anna', 'qwen2.5')
    manifest('me', 'phi3')
    mkdirSync(join(root, 'guest'))
    expect(otherUsersOllamaModels(join(root, 'me'), root)).toEqual([{ dir: join(root, 'anna', '.ollama', 'models'), count: 2 }])
  })
})
