import { describe, expect, it } from 'vitest'
import type { ConfigService } from '../config/config-service'
import { createClient } from '../../shared/contract/client'
import type { ProcessStatus } from '../../shared/contract/models-contract'
import { refuse } from '../rpc/refusal'
import { checklistFixBlocked, checklistFixes } from './checklist-fixes'

/** The fixes against a recording contract call and settings that change when config.set is called, as the real ones do. */
function fixesWith(values: Record<string, number>) {
  const calls: { name: string; input: unknown }[] = []
  // A bridge, as the client's transport sees the core: untyped frames in, results out.
  const client = createClient({
    async call(name, input) {
      calls.push({ name, input })
      if (name === 'config.set') {
        const { key, value } = input as { key: string; value: number }
        values[key] = value
      }
      return { ok: true, value: {} }
    },
    onEvent: () => () => undefined,
    onStatus: () => () => undefined
  })
  const config = { get: (key: string) => values[key] } as unknown as ConfigService
  return { fixes: checklistFixes(client, config), calls, values }
}

describe('checklist fixes', () => {
  it('gives answers more time by doubling the one LLM timeout the router and the worker share, up to its maximum', async () => {
    const { fixes, values } = fixesWith({ 'llm.requestTimeoutSec': 300 })
    expect(await fixes['raise-timeout']?.()).toBe(
      'llm.requestTimeoutSec raised from 300 s to 600 s (saved in your settings file; the router and the worker both wait that long).'
    )
    expect(values['llm.requestTimeoutSec']).toBe(600)
    values['llm.requestTimeoutSec'] = 3000
    await fixes['raise-timeout']?.()
    expect(values['llm.requestTimeoutSec']).toBe(3600)
    expect(await fixes['raise-timeout']?.()).toBe('llm.requestTimeoutSec is already 3600 s, the most it can be.')
  })

  it('says why Ollama did not start in one sentence, however the supervisor ended its reason', async () => {
    const stopped: ProcessStatus = {
      ...ollama({ mode: 'manage', state: 'not_installed', installed: false }),
      reason: 'ollama was not found; install it, or set the supervisor mode for Ollama to off.'
    }
    const client = createClient({
      call: async () => ({ ok: true, value: stopped }),
      onEvent: () => () => undefined,
      onStatus: () => () => undefined
    })
    const config = { get: () => 0 } as unknown as ConfigService
    expect(await checklistFixes(client, config)['restart-ollama']?.()).toEqual(
      refuse(
        'unavailable',
        'Ollama did not start (not_installed): ollama was not found; install it, or set the supervisor mode for Ollama to off.'
      )
    )
  })

  it('offers "restart Ollama" only for the app’s own Ollama child, and otherwise says to restart it by hand', () => {
    const byHand = 'Restart Ollama yourself, then Return to autoprocessing.'
    const blockedWith = (status: ProcessStatus | undefined) => checklistFixBlocked(() => status)('restart-ollama')
    expect(blockedWith(ollama({ mode: 'off', state: 'off' }))).toBe(
      `The app does not run Ollama here (“Run Ollama for me” is off in Settings). ${byHand}`
    )
    expect(blockedWith(undefined)).toContain(byHand)
    expect(blockedWith(ollama({ mode: 'adopt', state: 'adopted' }))).toBe(
      `The app only watches an Ollama started elsewhere, so it cannot restart it. ${byHand}`
    )
    expect(blockedWith(ollama({ mode: 'manage', state: 'adopted' }))).toContain('started elsewhere')
    expect(blockedWith(ollama({ mode: 'manage', state: 'not_installed', installed: false }))).toBe(
      `The app found no ollama to start (looked for “ollama serve”). ${byHand}`
    )
    expect(blockedWith(ollama({ mode: 'manage', state: 'running' }))).toBeNull()
    expect(blockedWith(ollama({ mode: 'manage', state: 'needs_attention' }))).toBeNull()
    expect(checklistFixBlocked(() => ollama({ mode: 'off', state: 'off' }))('lower-concurrency')).toBeNull()
  })
})

function ollama(over: Partial<ProcessStatus>): ProcessStatus {
  return {
    id: 'ollama',
    label: 'Ollama',
    command: 'ollama serve',
    mode: 'manage',
    state: 'running',
    installed: true,
    pid: null,
    restartsLastHour: 0,
    reason: null,
    warning: null,
    lastFailure: null,
    lastExit: null,
    logTail: [],
    logFile: '/tmp/ollama.log',
    ...over
  }
}
