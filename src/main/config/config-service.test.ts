import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ConfigSnapshot } from '../../shared/contract/config-contract'
import { RpcFailure } from '../../shared/contract/rpc-error'
import { useTempDirs } from '../test-support/temp-dir'
import { createConfigService } from './config-service'
import { loadConfig } from './load-config'

const tempDir = useTempDirs()

function serviceIn(dir: string, env: NodeJS.ProcessEnv = {}) {
  const dataDir = { path: dir, source: { kind: 'default' } as const }
  const loaded = loadConfig({ dataDir, cli: new Map(), env })
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'))
  return createConfigService({ inputs: loaded.inputs, resolved: loaded.resolved, dataDir })
}

const entry = (snapshot: ConfigSnapshot, key: string) => snapshot.settings.find((s) => s.key === key)!

describe('config service', () => {
  it('stores a setting in the user file, re-resolves and tells listeners', () => {
    const dir = tempDir()
    const service = serviceIn(dir)
    const seen: ConfigSnapshot[] = []
    service.onChange((s) => seen.push(s))

    const snapshot = service.set('log.level', 'debug')

    expect(service.get('log.level')).toBe('debug')
    expect(entry(snapshot, 'log.level').source).toEqual({ kind: 'user', file: join(dir, 'settings.json') })
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ 'log.level': 'debug' })
    expect(seen).toHaveLength(1)
    expect(serviceIn(dir).get('log.level')).toBe('debug')
  })

  it('refuses a bad value with the key, the value and what is expected, leaving the file untouched', () => {
    const dir = tempDir()
    const service = serviceIn(dir)
    service.set('worker.maxAttempts', 5)
    const before = readFileSync(join(dir, 'settings.json'), 'utf8')

    expect(() => service.set('worker.maxAttempts', 0)).toThrowError(
      'worker.maxAttempts = 0 is not valid: expected a whole number from 1 to 10 (attempts).'
    )
    expect(() => service.set('no.such', 1)).toThrowError(RpcFailure)
    expect(() => service.set('host.bind', '0.0.0.0')).toThrowError(/unless host.allowRemote is true/)
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before)
    expect(service.get('worker.maxAttempts')).toBe(5)
  })

  it('shows a stored value that the environment overrides, without pretending it applies', () => {
    const dir = tempDir()
    serviceIn(dir).set('log.level', 'warn')
    const snapshot = serviceIn(dir, { KOS_LOG_LEVEL: 'error' }).snapshot()
    expect(entry(snapshot, 'log.level')).toMatchObject({
      value: 'error',
      userValue: 'warn',
      source: { kind: 'env', name: 'KOS_LOG_LEVEL' }
    })
  })

  it('resets a setting back to the profile value by removing it from the file', () => {
    const dir = tempDir()
    const service = serviceIn(dir)
    service.set('worker.maxConcurrency', 7)
    const snapshot = service.reset('worker.maxConcurrency')
    expect(entry(snapshot, 'worker.maxConcurrency')).toMatchObject({
      value: 4,
      source: { kind: 'profile', profile: 'balanced' }
    })
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({})
  })

  it('refuses to start from a damaged settings file and says how to recover, without overwriting it', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'settings.json'), '{"log.level": ')
    const loaded = loadConfig({ dataDir: { path: dir, source: { kind: 'default' } }, cli: new Map(), env: {} })
    expect(loaded.ok).toBe(false)
    if (!loaded.ok) expect(loaded.messages[0]).toMatch(/settings\.json is not valid JSON .*Fix it, or move it away/)
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{"log.level": ')
    expect(existsSync(join(dir, 'settings.json.tmp'))).toBe(false)
  })
})
