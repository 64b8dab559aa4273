import { describe, expect, it } from 'vitest'
import { createGapSource } from '../autopilot/learning-gaps'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const CLI = { scopes: new Set(['read', 'write'] as const), transport: 'cli' as const }

describe('a knowledge search that finds nothing becomes a learning gap', () => {
  it('records the query and its domain filter through the search call, and the gap source hands it to that domain’s expert', async () => {
    const core = startTestCore(tempDir())
    try {
      const found = await core.dispatcher.call(
        'knowledge.search',
        { query: 'Covenant  headroom under IFRS 16', domain: 'finance' },
        CLI
      )
      expect(found.ok && (found.value as { hits: unknown[] }).hits).toEqual([])
      await core.dispatcher.call(
        'knowledge.search',
        { query: 'covenant headroom under ifrs 16', domain: 'finance' },
        CLI
      )
      await core.dispatcher.call('knowledge.search', { query: 'lunch menu' }, CLI)
      const gaps = createGapSource(core.db)
        .gaps(0, [{ id: 'analyst', domains: ['finance'] }])
        .filter((g) => g.kind === 'search_without_result')
      // The same query (case and spacing aside) counts twice; the unfiltered one names no expert's domain.
      expect(gaps).toEqual([
        {
          kind: 'search_without_result',
          expert: 'analyst',
          query: 'covenant headroom under ifrs 16',
          domain: 'finance',
          misses: 2
        }
      ])
    } finally {
      await core.close()
    }
  }, 30_000)
})
