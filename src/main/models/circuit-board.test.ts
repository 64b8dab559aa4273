import { describe, expect, it } from 'vitest'
import { createCircuitBoard } from './circuit-board'
import { testConfig } from './testing/test-config'

describe('circuit board tallies', () => {
  it('count only the newest 5,000 generations of a node, however many came before', () => {
    let clock = 1_000_000
    const board = createCircuitBoard({ config: testConfig(), now: () => clock })
    for (let i = 0; i < 2_000; i++)
      board.record('ollama-local', 'llama3.2:3b', { ok: false, kind: 'server_error', failure: '500 boom' })
    for (let i = 0; i < 12_000; i++) {
      clock++
      board.record('ollama-local', 'llama3.2:3b', { ok: true })
      // Past the limit the tally is the newest 5,000, at every count, not only after a cut.
      if (i === 5_000 || i === 9_999 || i === 11_999)
        expect(board.tallies(Number.MAX_SAFE_INTEGER)).toEqual([
          { node: 'ollama-local', succeeded: 5_000, failed: 0, topFailure: null }
        ])
    }
    expect(board.tallies(999)).toEqual([{ node: 'ollama-local', succeeded: 1_000, failed: 0, topFailure: null }])
  })
})
