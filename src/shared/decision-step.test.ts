import { describe, expect, it } from 'vitest'
import type { DecisionRow, RunStep } from './contract/workflows-contract'
import { decisionStep } from './decision-step'

const step = (name: string, taskId: string | null): RunStep => ({
  id: `s-${name}`,
  step: name,
  role: name,
  kind: 'general',
  round: 1,
  attempt: 1,
  status: 'passed',
  taskId,
  model: null,
  package: null,
  verdict: null,
  problems: [],
  tokens: 0,
  tokensCounted: null,
  files: [],
  startedAt: '2026-12-01T00:00:00.000Z',
  finishedAt: null
})

const decision = (stepName: string | null, taskId: string | null): DecisionRow => ({
  seq: 1,
  runId: 'r1',
  taskId,
  step: stepName,
  role: 'validator',
  decision: 'passed',
  kind: 'validation',
  reasons: [],
  model: null,
  correlationId: null,
  at: '2026-12-01T00:00:00.000Z'
})

describe('decisionStep', () => {
  const steps = [step('coder', 't1'), step('reviewer', 't2')]

  it('names the step a validator row belongs to through its task, where the row names none', () => {
    expect(decisionStep(decision(null, 't2'), steps)).toBe('reviewer')
  })

  it('keeps the step a row names, and has none for a row of no step and no known task', () => {
    expect(decisionStep(decision('coder:apply', 't1'), steps)).toBe('coder:apply')
    expect(decisionStep(decision(null, 'unknown'), steps)).toBeNull()
    expect(decisionStep(decision(null, null), [step('waiting', null)])).toBeNull()
  })
})
