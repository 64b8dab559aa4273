import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../../shared/contract/checklist-contract'
import { TASK_ERROR_TYPES } from '../../shared/contract/tasks-contract'
import { PLAYBOOK, matchPlaybook, ruleForErrorType, type PlaybookEvidence } from './playbook'

const none: PlaybookEvidence = { checks: [], logLines: [], errorTypes: {} }
const allFixes = new Set([
  'restart-ollama',
  'lower-concurrency',
  'return-deferred',
  're-embed',
  'raise-timeout'
] as const)

const check = (
  id: string,
  status: CheckResult['status'],
  evidence: string,
  area: CheckResult['area'] = 'app'
): CheckResult => ({
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

const matched = (evidence: Partial<PlaybookEvidence>) =>
  matchPlaybook({ ...none, ...evidence }, allFixes).map((m) => m.ruleId)

describe('failure playbook', () => {
  it('matches nothing on a healthy system', () => {
    expect(
      matched({ checks: [check('app.single-instance', 'pass', 'ok')], logLines: ['{"msg":"core started"}'] })
    ).toEqual([])
  })

  it.each([
    [
      'ollama-runner-terminated',
      { logLines: ['ollama 500: {"error":"llama runner process has terminated: signal: killed"}'] }
    ],
    [
      'ollama-started-as-another-user',
      {
        checks: [
          check('models.nodes', 'fail', 'ollama at :11434 lists 0 models; 4 on disk: started as another user', 'models')
        ]
      }
    ],
    [
      'metal-out-of-memory',
      {
        logLines: ['[METAL] Command buffer execution failed: Insufficient Memory (kIOGPUCommandBufferErrorOutOfMemory)']
      }
    ],
    ['metal-out-of-memory', { errorTypes: { oom_or_metal: 2 } }],
    ['server-overloaded', { logLines: ['mlx answered 503: {"error": "Server overloaded"}'] }],
    [
      'embedding-dimension-mismatch',
      { checks: [check('knowledge.embedding-dimension', 'fail', 'model gives 384, collection holds 768', 'knowledge')] }
    ],
    ['timeout-mismatch', { checks: [check('models.timeouts-aligned', 'fail', 'heartbeat 600 s, stuck after 900 s')] }],
    [
      'stalled-heartbeats',
      { checks: [check('worker.no-stuck-tasks', 'fail', '3 tasks without heartbeat for 20 min', 'worker')] }
    ],
    ['duplicate-worker', { logLines: ['The data dir /x is in use by the headless host (pid 7)'] }],
    ['ollama-runner-terminated', { errorTypes: { runner_terminated: 3 } }],
    ['server-echoes-prompts', { errorTypes: { echo: 1 } }],
    [
      'server-echoes-prompts',
      {
        checks: [
          check(
            'models.circuits-closed',
            'fail',
            'ollama-local (llama3.2:3b): echo of the prompt on 8 of the last 8 generations since 14:02',
            'models'
          )
        ]
      }
    ],
    ['stream-interrupted', { errorTypes: { stream_interrupted: 2 } }],
    ['server-error', { errorTypes: { server_error: 2 } }],
    [
      'server-unreachable',
      { checks: [check('models.nodes-reachable', 'fail', 'Ollama on this Mac is down: connection refused', 'models')] }
    ],
    ['generation-timeouts', { errorTypes: { timeout: 4 } }],
    ['answers-rejected', { errorTypes: { validation_failed: 1 } }],
    ['crash-interrupted', { errorTypes: { interrupted: 1 } }],
    [
      'backend-failing-generations',
      { checks: [check('models.generation-success', 'fail', 'ollama-local: 0 of 8 succeeded (0%)', 'models')] }
    ]
  ] as const)('recognises %s from its evidence', (rule, evidence) => {
    expect(matched(evidence)).toContain(rule)
  })

  it('does not take a warning for a failure', () => {
    expect(
      matched({ checks: [check('knowledge.embedding-dimension', 'warn', 'no embedding model reachable', 'knowledge')] })
    ).toEqual([])
  })

  it('names the evidence it matched and offers only fixes that exist', () => {
    const [match] = matchPlaybook({ ...none, logLines: ['x llama runner process has terminated'] }, new Set())
    expect(match).toMatchObject({
      ruleId: 'ollama-runner-terminated',
      fix: null,
      evidence: ['x llama runner process has terminated']
    })
  })

  it('has a cause and a remedy for every rule', () => {
    for (const rule of PLAYBOOK) {
      expect(rule.cause.length).toBeGreaterThan(40)
      expect(rule.remedy.length).toBeGreaterThan(30)
    }
  })

  it('offers “Lower concurrency” only with out-of-memory evidence: a runner that terminated is a restart, not a memory problem', () => {
    const runner = matchPlaybook(
      {
        ...none,
        logLines: ['ollama 500: {"error":"llama runner process has terminated: exit status 2"}'],
        errorTypes: { runner_terminated: 5 }
      },
      allFixes
    )
    expect(runner.map((m) => m.ruleId)).toEqual(['ollama-runner-terminated'])
    expect(runner[0]?.fix).toBe('restart-ollama')
    expect(runner.some((m) => m.fix === 'lower-concurrency')).toBe(false)
    const oom = matchPlaybook(
      { ...none, logLines: ['llama runner process has terminated: error:failed to allocate context'] },
      allFixes
    )
    expect(oom.map((m) => m.ruleId)).toEqual(['ollama-runner-terminated', 'metal-out-of-memory'])
    expect(oom.find((m) => m.ruleId === 'metal-out-of-memory')?.fix).toBe('lower-concurrency')
  })

  it('gives every task error type a rule whose fix fits the evidence, offered only where this host has the fix', () => {
    const fixes = Object.fromEntries(TASK_ERROR_TYPES.map((t) => [t, ruleForErrorType(t, allFixes).fix]))
    expect(fixes).toEqual({
      timeout: 'raise-timeout',
      empty_or_short_response: null,
      validation_failed: null,
      connection_error: 'restart-ollama',
      oom_or_metal: 'lower-concurrency',
      runner_terminated: 'restart-ollama',
      stream_interrupted: 'restart-ollama',
      echo: 'restart-ollama',
      server_error: 'restart-ollama',
      interrupted: null,
      other: null
    })
    for (const type of TASK_ERROR_TYPES) {
      const rule = ruleForErrorType(type, allFixes)
      expect(PLAYBOOK.some((r) => r.id === rule.ruleId)).toBe(true)
      // The rule recognises the error type as its own evidence.
      expect(matchPlaybook({ ...none, errorTypes: { [type]: 1 } }, allFixes).map((m) => m.ruleId)).toContain(
        rule.ruleId
      )
    }
    expect(ruleForErrorType('runner_terminated', new Set()).fix).toBeNull()
  })
})
