import { describe, expect, it } from 'vitest'
import type { Digest } from '../../../shared/contract/digest-contract'
import { runKosInProcess } from '../../test-support/run-kos-in-process'
import { useTempDirs } from '../../test-support/temp-dir'

const tempDir = useTempDirs()
const kos = (argv: string[]) =>
  runKosInProcess(argv, { untilStopped: () => new Promise<void>(() => undefined), out: [] })

describe('kos digest', () => {
  it('prints the digest since a time, as text and as JSON, and refuses a start it cannot read', async () => {
    const dir = tempDir()
    await kos(['tasks', 'add', 'Write the plan', 'Write the launch plan for March.', '--data-dir', dir])
    const since = new Date(Date.now() - 3_600_000).toISOString()
    const json = await kos(['digest', since, '--json', '--data-dir', dir])
    expect(json.code).toBe(0)
    const digest = JSON.parse(json.out[0] ?? '') as Digest
    expect(digest).toMatchObject({
      from: since,
      basis: 'instant',
      tasks: { completed: 0, inReview: 0 },
      restarts: { count: 0 },
      chat: { fallbackShare: null }
    })
    const text = await kos(['digest', '--data-dir', dir])
    expect(text.code).toBe(0)
    expect(text.out[0]).toMatch(/^Knowledge OS digest since .+ \(.+ – .+\)$/)
    expect(text.out).toContain('Model-server restarts: 0')
    const bad = await kos(['digest', 'yesterday', '--data-dir', dir])
    expect(bad.code).toBe(64)
    expect(bad.err.join('\n')).toMatch(/"yesterday" is not a start for the digest: give morning .*last-visit/)
  })
})
