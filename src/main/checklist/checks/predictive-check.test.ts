import { describe, expect, it } from 'vitest'
import { predictiveCheck } from './predictive-check'

describe('predictive monitor check', () => {
  it('runs the monitor on each checklist run and warns with its evidence while an alert is open', async () => {
    const verdicts = [
      {
        state: 'alert' as const,
        evidence: '6 running tasks without an update for over 15 min (threshold 5) (SRE task t1 filed)'
      },
      { state: 'clear' as const, evidence: 'no stalled running tasks or old pending tasks over the thresholds' }
    ]
    let runs = 0
    const check = predictiveCheck({ check: async () => verdicts[runs++] ?? verdicts[1]! })
    const ac = new AbortController()
    expect(await check.run(ac.signal)).toEqual({ status: 'warn', evidence: verdicts[0]?.evidence })
    expect(await check.run(ac.signal)).toEqual({ status: 'pass', evidence: verdicts[1]?.evidence })
    expect(runs).toBe(2)
  })
})
