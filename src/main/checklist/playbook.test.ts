import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../../shared/contract/checklist-contract'
import { PLAYBOOK, matchPlaybook, type PlaybookEvidence } from './playbook'

const none: PlaybookEvidence = { checks: [], logLines: [], errorTypes: {} }
const allFixes = new Set(['restart-ollama', 'lower-concurrency', 'return-deferred', 're-embed'] as const)

const check = (id: string, status: CheckResult['status'], evidence: string, area: CheckResult['area'] = 'app'): CheckResult => ({
  id,
  title: id,
  area,
  severity: 'hard',
  status,
  evidence,
  measures: '',
  remedy: '',
  fix: null,
  measuredAt: '2026-11-24T10:00:00.000Z',
  durationMs: 1
})

const matched = (evidence: Partial<PlaybookEvidence>) => matchPlaybook({ ...none, ...evidence }, allFixes).map((m) => m.ruleId)

describe('failure playbook', () => {
  it('matches nothing on a healthy system', () => {
    expect(matched({ checks: [check('app.single-instance', 'pass', 'ok')], logLines: ['{"msg":"core started"}'] })).toEqual([])
  })

  it.each([
    ['ollama-runner-terminated', { logLines: ['ollama 500: {"error":"llama runner process has terminated: signal: killed"}'] }],
    ['ollama-started-as-another-user', { checks: [check('models.nodes', 'fail', 'ollama at :11434 lists 0 models; 4 on disk: started as another user', 'models')] }],
    ['metal-out-of-memory', { logLines: ['[METAL] Command buffer execution failed: Insufficient Memory (kIOGPUCommandBufferErrorOutOfMemory)'] }],
    ['metal-out-of-memory', { errorTypes: { oom_or_metal: 2 } }],
    ['server-overloaded', { logLines: ['mlx answered 503: {"error": "Server overloaded"}'] }],
    ['embedding-dimension-mismatch', { checks: [check('knowledge.embedding-dimension', 'fail', 'model gives 384, collection holds 768', 'knowledge')] }],
    ['timeout-mismatch', { checks: [check('models.timeouts-aligned', 'fail', 'heartbeat 600 s, stuck after 900 s')] }],
    ['stalled-heartbeats', { checks: [check('worker.no-stuck-tasks', 'fail', '3 tasks without heartbeat for 20 min', 'worker')] }],
    ['duplicate-worker', { logLines: ['The data dir /x is in use by the headless host (pid 7)'] }]
  ] as const)('recognises %s from its evidence', (rule, evidence) => {
    expect(matched(evidence)).toContain(rule)
  })

  it('does not take a warning for a failure', () => {
    expect(matched({ checks: [check('knowledge.embedding-dimension', 'warn', 'no embedding model reachable', 'knowledge')] })).toEqual([])
  })

  it('names the evidence it matched and offers only fixes that exist', () => {
    const [match] = matchPlaybook({ ...none, logLines: ['x llama runner process has terminated'] }, new Set())
    expect(match).toMatchObject({ ruleId: 'ollama-runner-terminated', fix: null, evidence: ['x llama runner process has terminated'] })
  })

  it('has a cause and a remedy for every rule', () => {
    for (const rule of PLAYBOOK) {
      expect(rule.cause.length).toBeGreaterThan(40)
      expect(rule.remedy.length).toBeGreaterThan(30)
    }
  })
})
