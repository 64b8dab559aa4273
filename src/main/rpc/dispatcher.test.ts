import { describe, expect, it } from 'vitest'
import type { Scope } from '../../shared/contract/define'
import { RpcFailure, rpcError } from '../../shared/contract/rpc-error'
import type { ConfigSnapshot } from '../../shared/contract/config-contract'
import { memoryLogger } from '../test-support/memory-logger'
import { createDispatcher } from './dispatcher'
import type { Handlers } from './handler-types'

const snapshot: ConfigSnapshot = {
  profile: 'balanced',
  profiles: [],
  dataDir: { path: '/d', source: { kind: 'default' } },
  settingsFile: '/d/settings.json',
  groups: [],
  settings: []
}

function setup(over: Partial<Handlers> = {}) {
  const { logger, records } = memoryLogger()
  // Only the calls these tests make; the others are never dispatched here.
  const handlers = {
    'app.info': () => ({
      productName: 'K',
      version: '1',
      platform: 'linux-x64',
      pid: 1,
      startedAt: '2026-11-24T10:00:00.000Z',
      dataDir: '/d',
      databaseFile: '/d/kos.db',
      logFile: '/d/logs/kos.log',
      schemaVersion: 1
    }),
    'config.get': () => snapshot,
    'config.set': () => snapshot,
    'config.reset': () => snapshot,
    ...over
  } as Handlers
  return { dispatcher: createDispatcher(handlers, logger), records }
}

const full = { scopes: new Set<Scope>(['read', 'write']), transport: 'ws' as const }
const readOnly = { scopes: new Set<Scope>(['read']), transport: 'ws' as const }

describe('dispatcher', () => {
  it('runs a valid call and returns its output', async () => {
    const { dispatcher } = setup()
    expect(await dispatcher.call('config.get', {}, full)).toEqual({ ok: true, value: snapshot })
  })

  it('answers an unknown call with unknown_call', async () => {
    const { dispatcher } = setup()
    const result = await dispatcher.call('tasks.explode', {}, full)
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_call', call: 'tasks.explode' } })
  })

  it('refuses a write call to a read-only caller before looking at the payload', async () => {
    const { dispatcher } = setup()
    const result = await dispatcher.call('config.set', { nonsense: true }, readOnly)
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', call: 'config.set' } })
  })

  it('answers malformed payloads with invalid_input naming each bad field', async () => {
    const { dispatcher } = setup()
    for (const input of [
      null,
      'text',
      42,
      [],
      { key: 5 },
      { key: 'log.level', value: { nested: true } },
      { key: 'a', value: 1, extra: 1 }
    ]) {
      const result = await dispatcher.call('config.set', input, full)
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_input')
        expect(result.error.issues?.length).toBeGreaterThan(0)
        expect(result.error.message).toMatch(/^Call "config.set" was refused: /)
      }
    }
  })

  it('answers malformed frames with bad_request, echoing a usable id', async () => {
    const { dispatcher } = setup()
    expect(await dispatcher.handleFrame({ type: 'call', id: 7, input: {} }, full)).toMatchObject({
      id: 7,
      result: { ok: false, error: { code: 'bad_request' } }
    })
    expect(await dispatcher.handleFrame('garbage', full)).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'bad_request' } }
    })
    expect(
      await dispatcher.handleFrame({ type: 'call', id: { x: 1 }, name: 'app.info', input: {} }, full)
    ).toMatchObject({ id: null })
  })

  it('passes a typed failure from a handler through and hides other exceptions behind internal', async () => {
    const { dispatcher, records } = setup({
      'config.set': () => {
        throw new RpcFailure(rpcError('conflict', 'already changed'))
      },
      'config.get': () => {
        throw new TypeError('undefined is not a function')
      }
    })
    expect(await dispatcher.call('config.set', { key: 'a', value: 1 }, full)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'already changed', call: 'config.set' }
    })
    const internal = await dispatcher.call('config.get', {}, full)
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(records.some((r) => r.level === 'error' && r.msg === 'handler failed')).toBe(true)
  })

  it('refuses to send a reply that breaks the contract', async () => {
    const { dispatcher } = setup({ 'config.get': () => ({ ...snapshot, profile: 5 }) as unknown as ConfigSnapshot })
    expect(await dispatcher.call('config.get', {}, full)).toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('logs each refusal exactly once, with its correlation id', async () => {
    const { dispatcher, records } = setup()
    await dispatcher.handleFrame({ type: 'call', id: 1, name: 'config.set', input: 'bad' }, full)
    await dispatcher.call('config.set', {}, readOnly)
    dispatcher.rejectUndecodable('not JSON', full)
    const refusals = records.filter((r) => r.msg === 'call refused')
    expect(refusals.map((r) => r.code)).toEqual(['invalid_input', 'forbidden', 'bad_request'])
    for (const r of refusals) expect(typeof r.correlation_id).toBe('string')
  })

  it('refuses input nested past the depth limit as invalid_input naming it, before any schema walks it', async () => {
    const { dispatcher } = setup()
    let value: unknown = 'bottom'
    for (let i = 0; i < 5000; i++) value = { deeper: value }
    const result = await dispatcher.call('config.set', { key: 'log.level', value }, full)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', call: 'config.set' } })
    if (!result.ok) expect(result.error.message).toMatch(/nested more than 64 levels deep/)
  })

  it('refuses an input over the call’s size limit as too_large, whichever transport carried it', async () => {
    const { dispatcher } = setup()
    const result = await dispatcher.call(
      'config.set',
      { key: 'log.level', value: 'x'.repeat(2 * 1024 * 1024) },
      { ...full, transport: 'ipc' }
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large', call: 'config.set' } })
  })

  it('refuses a __proto__ key anywhere in the input', async () => {
    const { dispatcher } = setup()
    const result = await dispatcher.call(
      'config.set',
      JSON.parse('{"key":"log.level","value":1,"__proto__":{"polluted":true}}'),
      full
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: '__proto__' }] } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps refusal messages short in the reply and the log, however large the value they quote', async () => {
    const huge = 'v'.repeat(500_000)
    const { dispatcher, records } = setup({
      'config.set': () => {
        throw new RpcFailure(rpcError('invalid_input', `The value "${huge}" is not a log level.`))
      }
    })
    const result = await dispatcher.call('config.set', { key: 'log.level', value: 'x' }, full)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.message.length).toBeLessThan(1100)
      expect(result.error.message).toMatch(/… \(488\.3 KB in all\)$/)
    }
    expect(JSON.stringify(records).length).toBeLessThan(5000)
  })

  it('logs a flood of rate-limited refusals once a second, with a count of those left out', async () => {
    const { dispatcher, records } = setup()
    for (let i = 0; i < 50; i++)
      dispatcher.reject(rpcError('rate_limited', 'slow down', { retryAfterMs: 100 }), readOnly, i)
    const logged = records.filter((r) => r.msg === 'call refused' && r.code === 'rate_limited')
    expect(logged).toHaveLength(1)
  })
})
