import { describe, expect, it } from 'vitest'
import { formatProblem, resolveConfig, type ConfigInputs } from './config-resolver'
import { builtInProfiles } from './profiles'
import { PROFILE_NAMES, SETTINGS, type SettingKey } from './setting-definitions'

const inputs = (over: Partial<ConfigInputs> = {}): ConfigInputs => ({
  cli: new Map(),
  env: {},
  userFile: '/data/settings.json',
  userValues: {},
  profiles: builtInProfiles(),
  ...over
})

const resolved = (over: Partial<ConfigInputs> = {}) => {
  const r = resolveConfig(inputs(over))
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'))
  return r.config
}

describe('config resolution', () => {
  it('takes the CLI flag over the environment over the settings file over the profile over the default', () => {
    const key: SettingKey = 'worker.maxConcurrency'
    const cli = new Map([[key, { flag: '--set worker.maxConcurrency', raw: '11' }]])
    const env = { KOS_WORKER_MAX_CONCURRENCY: '12' }
    const userValues = { [key]: 13 }

    expect(resolved({ cli, env, userValues }).sources[key]).toEqual({
      kind: 'cli',
      flag: '--set worker.maxConcurrency'
    })
    expect(resolved({ cli, env, userValues }).values[key]).toBe(11)
    expect(resolved({ env, userValues }).values[key]).toBe(12)
    expect(resolved({ env, userValues }).sources[key]).toEqual({ kind: 'env', name: 'KOS_WORKER_MAX_CONCURRENCY' })
    expect(resolved({ userValues }).values[key]).toBe(13)
    expect(resolved({ userValues }).sources[key]).toEqual({ kind: 'user', file: '/data/settings.json' })
    expect(resolved().values[key]).toBe(4)
    expect(resolved().sources[key]).toEqual({ kind: 'profile', profile: 'balanced' })
    expect(resolved().sources['log.level']).toEqual({ kind: 'default' })
  })

  it('applies the chosen profile, wherever the choice came from', () => {
    expect(resolved({ env: { KOS_PROFILE: 'fast' } }).values['worker.maxConcurrency']).toBe(8)
    expect(resolved({ userValues: { profile: 'safe' } }).values['worker.maxConcurrency']).toBe(2)
    expect(resolved({ userValues: { profile: 'safe' } }).sources['worker.maxConcurrency']).toEqual({
      kind: 'profile',
      profile: 'safe'
    })
  })

  it('refuses a bad value naming the setting, the value and its source', () => {
    const r = resolveConfig(inputs({ env: { KOS_WORKER_MAX_ATTEMPTS: 'lots' } }))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems.map(formatProblem)).toEqual([
      'worker.maxAttempts = "lots" (from environment variable KOS_WORKER_MAX_ATTEMPTS) is not valid: expected a whole number from 1 to 10 (attempts).'
    ])
  })

  it('reports every bad value at once rather than the first one only', () => {
    const r = resolveConfig(
      inputs({
        env: { KOS_PORT: '99999', KOS_LOG_LEVEL: 'loud' },
        userValues: { 'worker.stuckMinutes': 0, nonsense: 1 }
      })
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems.map((p) => p.key).sort()).toEqual(['host.port', 'log.level', 'nonsense', 'worker.stuckMinutes'])
  })

  it('does not fall back to a lower source when a higher one is bad', () => {
    const r = resolveConfig(inputs({ env: { KOS_PORT: 'eighty' }, userValues: { 'host.port': 8080 } }))
    expect(r.ok).toBe(false)
  })

  it('refuses a non-loopback bind address unless remote access is allowed', () => {
    const r = resolveConfig(inputs({ env: { KOS_HOST: '0.0.0.0' } }))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(formatProblem(r.problems[0]!)).toContain('unless host.allowRemote is true')
    expect(resolved({ env: { KOS_HOST: '0.0.0.0', KOS_ALLOW_REMOTE: 'true' } }).values['host.bind']).toBe('0.0.0.0')
  })

  it('ships a valid file for every profile, each setting only what profiles may set', () => {
    const profiles = builtInProfiles()
    expect([...profiles.keys()].sort()).toEqual([...PROFILE_NAMES].sort())
    for (const name of PROFILE_NAMES) {
      const config = resolved({ env: { KOS_PROFILE: name } })
      for (const key of Object.keys(profiles.get(name)!.settings)) {
        expect(SETTINGS[key as SettingKey].inProfiles).toBe(true)
        expect(config.sources[key as SettingKey]).toEqual({ kind: 'profile', profile: name })
      }
    }
  })
})
