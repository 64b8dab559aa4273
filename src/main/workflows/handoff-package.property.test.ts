import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PackageSpecSchema, type HandoffPackage, type PackageSpec } from '../../shared/contract/workflows-contract'
import { answerFormat, formatPackage, missingParts, parseAnswer } from './handoff-package'

const REVIEW_SPEC: PackageSpec = PackageSpecSchema.parse({
  summaryMinChars: 20,
  minArtifacts: 1,
  minSources: 1,
  requireOpenQuestions: true,
  fields: [
    { name: 'Verdict', oneOf: ['accept', 'send_back'] },
    { name: 'Reasons', minChars: 10 }
  ]
})

// Text a model could put in a part: words and punctuation, never a line that is itself a heading or a fence.
const line = fc
  .string({ minLength: 1, maxLength: 60 })
  .map((s) => s.replace(/[\r\n#*`~]/g, ' ').trim())
  .filter((s) => s.length > 0 && !/^(none|n\/a|no|nothing|-)\.?$/i.test(s) && !/^(?:[-*+]|\d{1,3}[.)])\s/.test(s))
const item = line.filter((s) => !/^\s/.test(s))
const code = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => `\`\`\`ts\n${lines.join('\n')}\n\`\`\``)

const completePackage: fc.Arbitrary<HandoffPackage> = fc.record({
  summary: fc.array(line, { minLength: 1, maxLength: 4 }).map((l) => `${l.join(' ')} and that is the summary text.`),
  artifacts: fc.array(code, { minLength: 1, maxLength: 3 }),
  openQuestions: fc.array(item, { maxLength: 3 }),
  sources: fc.array(item, { minLength: 1, maxLength: 3 }),
  fields: fc.record({
    Verdict: fc.constantFrom('accept', 'send_back'),
    Reasons: fc.array(line, { minLength: 1, maxLength: 3 }).map((l) => `Because ${l.join(' ')}.`)
  })
})

describe('hand-off packages', () => {
  it('parses back exactly the package the answer format writes', () => {
    fc.assert(
      fc.property(completePackage, (pkg) => {
        const parsed = parseAnswer(formatPackage(pkg), REVIEW_SPEC)
        expect(parsed.package).toEqual(pkg)
        expect(missingParts(parsed, REVIEW_SPEC, false)).toEqual([])
      })
    )
  })

  it('names each required part that is taken away, and nothing else', () => {
    const parts = ['Summary', 'Artifacts', 'Sources', 'Open questions', 'Verdict', 'Reasons'] as const
    fc.assert(
      fc.property(completePackage, fc.subarray([...parts], { minLength: 1 }), (pkg, removed) => {
        const answer = formatPackage(pkg)
          .split(/\n\n(?=## )/)
          .filter((section) => !removed.some((p) => section.startsWith(`## ${p}\n`)))
          .join('\n\n')
        const missing = missingParts(parseAnswer(answer, REVIEW_SPEC), REVIEW_SPEC, false)
        expect(missing.map((m) => m.split(':')[0]).sort()).toEqual([...removed].sort())
      })
    )
  })

  it('never throws, and judges the same text the same way every time', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.boolean(), (text, cite) => {
        const a = missingParts(parseAnswer(text, REVIEW_SPEC), REVIEW_SPEC, cite)
        const b = missingParts(parseAnswer(text, REVIEW_SPEC), REVIEW_SPEC, cite)
        expect(a).toEqual(b)
      })
    )
  })

  it('reads bold labels, aliases and a verdict wrapped in emphasis as models write them', () => {
    const answer = [
      '# Review',
      '**Summary:** The change adds input validation and tests for the parser module.',
      '### Deliverables',
      '- the review notes',
      '## References',
      '1. https://example.org/spec',
      '## Questions',
      'None',
      '**Verdict:** **Send_back**.',
      '## Reasons',
      'The error path is untested; add a test for empty input.'
    ].join('\n')
    const parsed = parseAnswer(answer, REVIEW_SPEC)
    expect(parsed.package.summary).toBe('The change adds input validation and tests for the parser module.')
    expect(parsed.package.artifacts).toEqual(['the review notes'])
    expect(parsed.package.sources).toEqual(['https://example.org/spec'])
    expect(parsed.package.openQuestions).toEqual([])
    expect(missingParts(parsed, REVIEW_SPEC, true)).toEqual([])
  })

  it('keeps headings inside code fences as code, and says what is short or wrong', () => {
    const answer =
      '## Summary\nToo short.\n## Artifacts\n```md\n## Verdict\naccept\n```\n## Verdict\nmaybe\n## Reasons\nok'
    const parsed = parseAnswer(answer, REVIEW_SPEC)
    expect(parsed.package.artifacts).toEqual(['```md\n## Verdict\naccept\n```'])
    expect(missingParts(parsed, REVIEW_SPEC, false)).toEqual([
      'Summary: 10 characters, needs at least 20. Say what was done and what it means.',
      'Sources: 0 given, needs at least 1. List each URL, file or knowledge entry used under "## Sources".',
      'Open questions: missing. Add "## Open questions" listing what is still unclear, or "None".',
      'Verdict: "maybe" is not one of accept, send_back. Start the section with one of them.',
      'Reasons: 2 characters, needs at least 10.'
    ])
  })

  it('asks for every part the check requires', () => {
    const format = answerFormat(REVIEW_SPEC, true)
    for (const heading of ['## Summary', '## Artifacts', '## Open questions', '## Sources', '## Verdict', '## Reasons'])
      expect(format).toContain(heading)
    expect(format).toContain('one of: accept, send_back')
  })
})
