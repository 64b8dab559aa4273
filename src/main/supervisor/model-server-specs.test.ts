import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { SETTINGS, type SettingKey } from '../config/setting-definitions'
import { modelServerSpecs, otherUsersOllamaModels } from './model-server-specs'

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
    expect(otherUsersOllamaModels(join(root, 'me'), root)).toEqual([
      { dir: join(root, 'anna', '.ollama', 'models'), count: 2 }
    ])
  })
})

describe('model server specs', () => {
  const config = {
    get: <K extends SettingKey>(key: K) =>
      (key === 'ollama.apiUrl' ? 'http://127.0.0.1:11500' : SETTINGS[key].default) as never
  }

  it('runs ollama serve on the host and port of ollama.apiUrl and mlx_lm.server on those of mlx.apiUrl', () => {
    const [ollama, mlx] = modelServerSpecs({ config, env: {}, logsDir: '/logs', home: '/Users/me' })
    expect(ollama).toMatchObject({
      id: 'ollama',
      command: 'ollama',
      args: ['serve'],
      env: { OLLAMA_HOST: '127.0.0.1:11500' },
      logFile: '/logs/ollama.log'
    })
    expect(mlx).toMatchObject({ id: 'mlx', command: 'mlx_lm.server', args: ['--host', 'localhost', '--port', '11435'] })
    expect(ollama?.mode()).toBe('manage')
    expect(mlx?.mode()).toBe('off')
  })

  it('takes replacement commands from KOS_OLLAMA_COMMAND and KOS_MLX_COMMAND', () => {
    const [ollama, mlx] = modelServerSpecs({
      config,
      env: {
        KOS_OLLAMA_COMMAND: '/opt/ollama/bin/ollama serve',
        KOS_MLX_COMMAND: 'python3 -m mlx_lm.server --port 9000'
      },
      logsDir: '/logs',
      home: '/h'
    })
    expect(ollama).toMatchObject({ command: '/opt/ollama/bin/ollama', args: ['serve'] })
    expect(mlx).toMatchObject({ command: 'python3', args: ['-m', 'mlx_lm.server', '--port', '9000'] })
  })
})
