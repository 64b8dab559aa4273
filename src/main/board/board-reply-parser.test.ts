import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { outcomeOf, parseChairReply, parseMemberReply, parseVote, tally } from './board-reply-parser'

describe('board reply parser', () => {
  it('reads a member’s position and vote in the asked form', () => {
    expect(parseMemberReply('POSITION: Worth it if costs stay under 10k.\nVOTE: FOR')).toEqual({
      position: 'Worth it if costs stay under 10k.',
      vote: 'for'
    })
  })

  it('reads Russian labels and markdown-bold labels', () => {
    expect(parseMemberReply('**Позиция:** Рано.\n**Голос:** против')).toEqual({ position: 'Рано.', vote: 'against' })
  })

  it('takes an unlabelled answer whole and counts it as an abstention', () => {
    expect(parseMemberReply('I think we should wait a quarter.')).toEqual({
      position: 'I think we should wait a quarter.',
      vote: 'abstain'
    })
  })

  it('reads the chair’s decision, rationale and each risk', () => {
    const reply = parseChairReply(
      'DECISION: Launch in Q3.\nRATIONALE: Three of four members agree.\nRISKS:\n- Budget overrun\n2. Hiring delays'
    )
    expect(reply).toEqual({
      decision: 'Launch in Q3.',
      rationale: 'Three of four members agree.',
      risks: ['Budget overrun', 'Hiring delays']
    })
  })

  it('keeps a multi-line rationale', () => {
    expect(parseChairReply('DECISION: Wait.\nRATIONALE: First line.\nSecond line.').rationale).toBe(
      'First line.\nSecond line.'
    )
  })

  it('never loses text: whatever the reply, the position or decision is non-empty when the reply is', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0),
        (text) => {
          expect(
            parseMemberReply(text).position.length + (parseMemberReply(text).vote === 'abstain' ? 0 : 1)
          ).toBeGreaterThan(0)
          expect(
            parseChairReply(text).decision.length +
              parseChairReply(text).rationale.length +
              parseChairReply(text).risks.length
          ).toBeGreaterThan(0)
        }
      )
    )
  })

  it('maps votes and tallies them into an outcome', () => {
    expect(['FOR', 'yes', 'За', 'AGAINST', 'нет', 'maybe'].map(parseVote)).toEqual([
      'for',
      'for',
      'for',
      'against',
      'against',
      'abstain'
    ])
    const t = tally(['for', 'for', 'against', 'abstain'])
    expect(t).toEqual({ for: 2, against: 1, abstain: 1 })
    expect(outcomeOf(t)).toBe('approved')
    expect(outcomeOf(tally(['for', 'against']))).toBe('split')
    expect(outcomeOf(tally(['against']))).toBe('rejected')
  })
})
