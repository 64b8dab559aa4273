import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { CALLS } from '../../../shared/contract/contract'
import {
  CALL_LIMITS,
  DEFAULT_CALL_BYTES,
  FRAME_LIMIT_BYTES,
  callMaxBytes,
  tooLarge,
  utf8Bytes
} from '../../../shared/contract/limits'
import { checksOf, defOf } from './testing/fuzz/schema-walk'

/**
 * The fewest bytes the largest input a schema accepts takes as JSON: every
 * string at its maximum length, one byte per character. If even that does not
 * fit the call's limit, the contract promises what no transport carries.
 */
function smallestEncodingOfLargest(schema: z.ZodType): number {
  const def = defOf(schema)
  switch (def.type) {
    case 'string':
      return (checksOf(def).find((c) => c.check === 'max_length')?.maximum ?? 0) + 2
    case 'optional':
    case 'nullable':
    case 'default':
      return smallestEncodingOfLargest(def.innerType)
    case 'union':
      return Math.max(...def.options.map(smallestEncodingOfLargest))
    case 'object':
      return (
        2 +
        Object.entries(def.shape).reduce(
          (sum, [key, value]) => sum + key.length + 4 + smallestEncodingOfLargest(value),
          0
        )
      )
    case 'array':
      return (
        2 +
        (checksOf(def).find((c) => c.check === 'max_length')?.maximum ?? 1) *
          (smallestEncodingOfLargest(def.element) + 1)
      )
    default:
      return 1
  }
}

describe('contract limits', () => {
  it('never lets a call accept more than the transport carries', () => {
    for (const [name, spec] of Object.entries(CALLS)) {
      expect(callMaxBytes(name), name).toBeLessThanOrEqual(FRAME_LIMIT_BYTES)
      expect(
        smallestEncodingOfLargest(spec.input),
        `${name}: its string maximums add up past its limit of ${callMaxBytes(name)} bytes`
      ).toBeLessThanOrEqual(callMaxBytes(name))
    }
  })

  it('declares limits only for calls that exist, and only above the default', () => {
    for (const [name, limit] of Object.entries(CALL_LIMITS)) {
      expect(Object.hasOwn(CALLS, name), name).toBe(true)
      expect(limit.maxBytes).toBeGreaterThan(DEFAULT_CALL_BYTES)
    }
  })

  it('lets Knowledge → Add a text take what its own limit allows, not only the default', () => {
    expect(smallestEncodingOfLargest(CALLS['knowledge.addText'].input)).toBeGreaterThan(DEFAULT_CALL_BYTES)
  })

  it('says what was too large, by how much, and what to do instead', () => {
    const error = tooLarge('knowledge.addText', 52 * 1024 * 1024)
    expect(error).toMatchObject({ code: 'too_large', call: 'knowledge.addText' })
    expect(error.message).toBe(
      'A text (52.0 MB) is too large: 16.0 MB is the most one call can carry. Save it as a file and import that instead: Knowledge → Import a folder takes a single file too, up to the knowledge.maxFileMb setting (20 MB unless changed, at most 512 MB).'
    )
  })

  it('counts UTF-8 bytes the way the transport will', () => {
    for (const text of ['', 'ascii', 'café', '日本語', '😀 emoji', '\ud800 lone'])
      expect(utf8Bytes(text), text).toBe(Buffer.byteLength(text, 'utf8'))
  })
})
