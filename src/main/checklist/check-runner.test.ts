import { describe, expect, it, vi } from 'vitest'
import type { CheckDefinition } from './check-definition'
import { runChecks, verdictOf } from './check-runner'

const check = (id: string, severity: 'hard' | 'soft', run: CheckDefinition['run']): CheckDefinition => ({
  id,
  title: id,
  area: 'app',
  severity,
  measures: 'm',
  remedy: 'r',
  fix: null,
  run
})

describe('check runner', () => {
  it('reports a throwing check and a hanging check as errors without losing the others', async () => {
    const results = await runChecks(
      [
        check('ok', 'soft', () => ({ status: 'pass', evidence: 'fine' })),
        check('throws', 'soft', () => {
          throw new Error('statfs failed')
        }),
        check(
          'hangs',
          'soft',
          (signal) =>
            new Promise((resolve) =>
              signal.addEventListener('abort', () => resolve({ status: 'pass', evidence: 'late' }))
            )
        )
      ],
      { timeoutMs: 50, now: () => new Date() }
    )
    expect(results.map((r) => [r.id, r.status, r.evidence])).toEqual([
      ['ok', 'pass', 'fine'],
      ['throws', 'error', 'The check could not measure: statfs failed'],
      ['hangs', 'error', 'The check could not measure: did not answer within 0 s']
    ])
  })

  it("gives a check that says how long it may take that long, and the others the runner's timeout", async () => {
    vi.useFakeTimers()
    try {
      let answer: (outcome: { status: 'pass'; evidence: string }) => void = () => undefined
      const slow = { ...check('slow', 'hard', () => new Promise((resolve) => (answer = resolve))), timeoutMs: 60_000 }
      const hangs = check('hangs', 'soft', () => new Promise(() => undefined))
      const running = runChecks([slow, hangs], { timeoutMs: 15_000, now: () => new Date() })
      await vi.advanceTimersByTimeAsync(30_000)
      answer({ status: 'pass', evidence: 'quick_check: ok' })
      expect((await running).map((r) => [r.id, r.status, r.evidence])).toEqual([
        ['slow', 'pass', 'quick_check: ok'],
        ['hangs', 'error', 'The check could not measure: did not answer within 15 s']
      ])
    } finally {
      vi.useRealTimers()
    }
  })

  it('calls the app unhealthy on a hard failure and warns on a soft one', async () => {
    const run = (specs: [string, 'hard' | 'soft', 'pass' | 'warn' | 'fail'][]) =>
      runChecks(
        specs.map(([id, sev, status]) => check(id, sev, () => ({ status, evidence: '' }))),
        { timeoutMs: 1000, now: () => new Date() }
      )
    expect(
      verdictOf(
        await run([
          ['a', 'hard', 'pass'],
          ['b', 'soft', 'pass']
        ])
      )
    ).toBe('healthy')
    expect(
      verdictOf(
        await run([
          ['a', 'hard', 'pass'],
          ['b', 'soft', 'fail']
        ])
      )
    ).toBe('warnings')
    expect(verdictOf(await run([['a', 'hard', 'warn']]))).toBe('warnings')
    expect(
      verdictOf(
        await run([
          ['a', 'hard', 'fail'],
          ['b', 'soft', 'pass']
        ])
      )
    ).toBe('unhealthy')
  })
})
