import { describe, expect, it } from 'vitest'
import type { ConfigService } from '../config/config-service'
import { createClient } from '../../shared/contract/client'
import { checklistFixes } from './checklist-fixes'

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
})
