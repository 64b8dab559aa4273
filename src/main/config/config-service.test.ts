import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ConfigSnapshot } from '../../shared/contract/config-contract'
import { refusingDisk } from '../test-support/refusing-disk'
import { useTempDirs } from '../test-support/temp-dir'
import { createConfigService, type ConfigOutcome, type ConfigServiceOptions } from './config-service'
import { SETTING_GROUPS } from './setting-groups'
import { loadConfig } from './load-config'

const tempDir = useTempDirs()

function serviceIn(dir: string, env: NodeJS.ProcessEnv = {}, writeFile?: ConfigServiceOptions['writeFile']) {
  const dataDir = { path: dir, source: { kind: 'default' } as const }
  const loaded = loadConfig({ dataDir, cli: new Map(), env })
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'))
  return createConfigService({
    inputs: loaded.inputs,
    resolved: loaded.resolved,
    dataDir,
    ...(writeFile ? { writeFile } : {})
  })
}

const stored = (outcome: ConfigOutcome): ConfigSnapshot => {
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome)}`)
  return outcome.snapshot
}
const problems = (outcome: ConfigOutcome) => (!outcome.ok && outcome.reason === 'invalid' ? outcome.problems : [])
const entry = (snapshot: ConfigSnapshot, key: string) => snapshot.settings.find((s) => s.key === key)!

describe('config service', () => {
  it('stores a setting in the user file, re-resolves and tells listeners', () => {
    const dir = tempDir()
    const service = serviceIn(dir)
    const seen: ConfigSnapshot[] = []
    service.onChange((s) => seen.push(s))

    const snapshot = stored(service.set('log.level', 'debug'))

    expect(service.get('log.level')).toBe('debug')
    expect(entry(snapshot, 'log.level').source).toEqual({ kind: 'user', file: join(dir, 'settings.json') })
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ 'log.level': 'debug' })
    expect(seen).toHaveLength(1)
    expect(serviceIn(dir).get('log.level')).toBe('debug')
  })

  it('refuses a bad value naming the setting, the value and what to enter, leaving the file untouched', () => {
    const dir = tempDir()
    const service = serviceIn(dir)
    stored(service.set('worker.maxAttempts', 5))
    const before = readFileSync(join(dir, 'settings.json'), 'utf8')

    expect(problems(service.set('worker.maxAttempts', 0))).toEqual([
      {
        key: 'worker.maxAttempts',
        message:
          '"Attempts per task" (worker.maxAttempts) cannot be 0: enter a whole number from 1 to 10 (attempts); the default is 3.'
      }
    ])
    expect(problems(service.set('no.such', 1))[0]?.message).toMatch(/^There is no setting "no.such"/)
    expect(problems(service.set('host.bind', '0.0.0.0'))[0]?.message).toMatch(
      /^"Listen address" \(host\.bind\) cannot be "0\.0\.0\.0": enter a loopback address .* unless host\.allowRemote is true/
    )
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before)
    expect(service.get('worker.maxAttempts')).toBe(5)
  })

  it('saves a group all at once, or nothing when one value is bad, naming every bad one', () => {
    const dir = tempDir()
    const service = serviceIn(dir)
    const refused = service.setMany([
      { key: 'worker.maxConcurrency', value: 6 },
      { key: 'worker.maxAttempts', value: 99 },
      { key: 'worker.retryDelaySec', value: -1 }
    ])
    expect(problems(refused).map((p) => p.key)).toEqual(['worker.maxAttempts', 'worker.retryDelaySec'])
    expect(existsSync(join(dir, 'settings.json'))).toBe(false)
    expect(service.get('worker.maxConcurrency')).toBe(4)

    const snapshot = stored(
      service.setMany([
        { key: 'worker.maxConcurrency', value: 6 },
        { key: 'worker.maxAttempts', value: 4 }
      ])
    )
    expect(entry(snapshot, 'worker.maxConcurrency').value).toBe(6)
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({
      'worker.maxAttempts': 4,
      'worker.maxConcurrency': 6
    })
  })

  it('says the settings file cannot be written, as a value, and changes nothing', () => {
    const dir = tempDir()
    const service = serviceIn(dir, {}, refusingDisk('ENOSPC'))
    const outcome = service.set('log.level', 'debug')
    expect(outcome).toMatchObject({ ok: false, reason: 'unwritable', failure: { kind: 'full', code: 'ENOSPC' } })
    expect(service.get('log.level')).toBe('info')
    expect(existsSync(join(dir, 'settings.json'))).toBe(false)
  })

  it('labels every setting for people and puts it in a group, the essential groups first', () => {
    const snapshot = serviceIn(tempDir()).snapshot()
    for (const s of snapshot.settings) {
      expect(s.label, s.key).not.toMatch(/^[a-z]+\.[a-zA-Z.]+$/)
      expect(snapshot.groups.map((g) => g.name)).toContain(s.category)
    }
    expect(snapshot.groups.slice(0, 4).map((g) => g.name)).toEqual(['Model servers', 'Models', 'Knowledge', 'Budget'])
    expect(SETTING_GROUPS.filter((g) => g.essential)).toHaveLength(4)
    expect(entry(snapshot, 'ollama.apiUrl')).toMatchObject({ category: 'Model servers', label: 'Ollama server' })
  })

  it('shows a stored value that the environment overrides, without pretending it applies', () => {
    const dir = tempDir()
    stored(serviceIn(dir).set('log.level', 'warn'))
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
    stored(service.set('worker.maxConcurrency', 7))
    const snapshot = stored(service.reset('worker.maxConcurrency'))
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
