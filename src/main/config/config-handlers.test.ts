import { describe, expect, it } from 'vitest'
import { Refusal } from '../rpc/refusal'
import type { CallContext } from '../rpc/handler-types'
import { memoryLogger } from '../test-support/memory-logger'
import { refusingDisk } from '../test-support/refusing-disk'
import { useTempDirs } from '../test-support/temp-dir'
import { configHandlers } from './config-handlers'
import { createConfigService, type ConfigServiceOptions } from './config-service'
import { loadConfig } from './load-config'

const tempDir = useTempDirs()

function handlersIn(dir: string, writeFile?: ConfigServiceOptions['writeFile']) {
  const dataDir = { path: dir, source: { kind: 'default' } as const }
  const loaded = loadConfig({ dataDir, cli: new Map(), env: {} })
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'))
  return configHandlers(
    createConfigService({
      inputs: loaded.inputs,
      resolved: loaded.resolved,
      dataDir,
      ...(writeFile ? { writeFile } : {})
    })
  )
}

const ctx = (): CallContext => ({
  scopes: new Set(['read', 'write']),
  transport: 'in-process',
  correlationId: 'c1',
  log: memoryLogger().logger
})

describe('config handlers', () => {
  it('answer a refused group Save with a Refusal naming each bad value at its key, never by throwing', async () => {
    const handlers = handlersIn(tempDir())
    const answer = await handlers['config.setMany'](
      {
        changes: [
          { key: 'worker.maxAttempts', value: 0 },
          { key: 'ollama.apiUrl', value: 'not a url' },
          { key: 'log.level', value: 'debug' }
        ]
      },
      ctx()
    )
    expect(answer).toBeInstanceOf(Refusal)
    if (!(answer instanceof Refusal)) return
    expect(answer.error.code).toBe('invalid_input')
    expect(answer.error.issues?.map((i) => i.path)).toEqual(['worker.maxAttempts', 'ollama.apiUrl'])
    expect(answer.error.issues?.[1]?.message).toBe(
      '"Ollama server" (ollama.apiUrl) cannot be "not a url": enter an http:// or https:// URL; the default is "http://localhost:11434".'
    )
    const snapshot = await handlers['config.get']({}, ctx())
    expect(snapshot).not.toBeInstanceOf(Refusal)
    if (!(snapshot instanceof Refusal)) expect(snapshot.settings.find((s) => s.key === 'log.level')?.value).toBe('info')
  })

  it('say a settings file the disk refuses as every refused write is said: unavailable, naming the folder', async () => {
    const dir = tempDir()
    const handlers = handlersIn(dir, refusingDisk('EROFS'))
    const answer = await handlers['config.set']({ key: 'log.level', value: 'debug' }, ctx())
    expect(answer).toBeInstanceOf(Refusal)
    if (answer instanceof Refusal) {
      expect(answer.error.code).toBe('unavailable')
      expect(answer.error.message).toBe(
        `The disk holding ${dir} refuses writes (EROFS): it is read-only or not writable by this user — make it writable, or start with another --data-dir.`
      )
    }
  })
})
