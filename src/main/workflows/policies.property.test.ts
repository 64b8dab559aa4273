import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  budgetViolations,
  citationViolations,
  findSecrets,
  redactSecrets,
  requestedTools,
  secretViolations,
  toolViolations
} from './policies'

const alnum = (n: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: n,
    maxLength: n
  })
const upperDigits = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: n, maxLength: n })

/** One key of each common format, as providers issue them. */
const secret: fc.Arbitrary<{ kind: string; value: string }> = fc.oneof(
  alnum(48).map((s) => ({ kind: 'OpenAI API key', value: `sk-${s}` })),
  alnum(40).map((s) => ({ kind: 'OpenAI API key', value: `sk-proj-${s}` })),
  alnum(36).map((s) => ({ kind: 'GitHub token', value: `ghp_${s}` })),
  alnum(60).map((s) => ({ kind: 'GitHub fine-grained token', value: `github_pat_${s}` })),
  upperDigits(16).map((s) => ({ kind: 'AWS access key id', value: `AKIA${s}` })),
  alnum(30).map((s) => ({ kind: 'Slack token', value: `xoxb-${s}` })),
  fc.constant({
    kind: 'private key block',
    value: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'
  }),
  fc.tuple(alnum(20), alnum(30), alnum(40)).map(([a, b, c]) => ({
    kind: 'JSON Web Token',
    value: `eyJ${a}.eyJ${b}.${c}`
  }))
)

// Prose that cannot hold a key: short words separated by spaces.
const prose = fc
  .array(fc.string({ unit: fc.constantFrom(...'abcdefghij klmnop.,\n'), maxLength: 12 }), { maxLength: 30 })
  .map((words) => words.join(' '))

describe('policies', () => {
  it('finds a key of every common format wherever it sits in an answer, and never repeats it', () => {
    fc.assert(
      fc.property(prose, secret, prose, (before, { kind, value }, after) => {
        const text = `${before} ${value} ${after}`
        const found = findSecrets(text)
        expect(found.map((f) => f.kind)).toEqual([kind])
        expect(found[0]?.line).toBe(`${before} `.split('\n').length)
        const violations = secretViolations(text, 'output')
        expect(violations).toHaveLength(1)
        expect(violations[0]?.message).not.toContain(value.slice(0, 12))
        expect(findSecrets(redactSecrets(text))).toEqual([])
      })
    )
  })

  it('lets prose without keys through', () => {
    fc.assert(
      fc.property(prose, (text) => {
        expect(secretViolations(text, 'input')).toEqual([])
      })
    )
    expect(findSecrets('Use the sk-learn library; set AKIA as a prefix; the task-1234 is done.')).toEqual([])
  })

  it('blocks exactly when the run would go over its token budget', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), fc.integer({ min: 1000, max: 200_000 }), (used, next, budget) => {
        const blocked = budgetViolations(used, next, budget).length > 0
        expect(blocked).toBe(used + next > budget)
      })
    )
  })

  it('lets a role use only its allowed tools, naming what it may use instead', () => {
    const allowed = { librarian: ['file_knowledge', 'search_knowledge'] as const, coder: ['run_tests'] as const }
    fc.assert(
      fc.property(
        fc.constantFrom('librarian', 'coder', 'stranger'),
        fc.subarray(['file_knowledge', 'search_knowledge', 'run_tests', 'web', 'consult_board']),
        (role, wanted) => {
          const mine: readonly string[] = (allowed as Record<string, readonly string[]>)[role] ?? []
          const blocked = toolViolations(role, wanted, allowed).map((v) => /tool "([a-z_]+)"/.exec(v.message)?.[1])
          expect(blocked).toEqual(wanted.filter((t) => !mine.includes(t)))
        }
      )
    )
    expect(toolViolations('stranger', ['web'], allowed)[0]?.message).toContain('(it may use none)')
    expect(requestedTools('Plan:\n- Tool: web\nTool: FILE_KNOWLEDGE\nno tool: here')).toEqual(['web', 'file_knowledge'])
  })

  it('asks for a real source only where the step says so', () => {
    expect(citationViolations([], false)).toEqual([])
    expect(citationViolations([], true)[0]?.message).toContain('lists none')
    expect(citationViolations(['my memory'], true)[0]?.message).toContain('none of its 1 listed')
    expect(citationViolations(['https://nodejs.org/api/fs.html'], true)).toEqual([])
    expect(citationViolations(['src/main/tasks/task-store.ts'], true)).toEqual([])
    expect(citationViolations(['kb:7f3a'], true)).toEqual([])
  })
})
