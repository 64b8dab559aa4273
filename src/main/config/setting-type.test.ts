import { describe, expect, it } from 'vitest'
import type { SettingType } from '../../shared/contract/config-contract'
import { checkValue, parseText } from './setting-type'

describe('setting types', () => {
  const port = { kind: 'integer', min: 0, max: 65535 } as const

  it('reads whole numbers from text and refuses fractions, words and out-of-range values', () => {
    expect(parseText(port, ' 8080 ')).toEqual({ ok: true, value: 8080 })
    for (const raw of ['80.5', 'abc', '', '70000', '-1', '1e3']) {
      expect(parseText(port, raw)).toEqual({ ok: false, expected: 'a whole number from 0 to 65535' })
    }
  })

  it('reads decimals within bounds and refuses text, NaN and infinity', () => {
    const type: SettingType = { kind: 'number', min: 0, max: 1 }
    expect(parseText(type, '0.7')).toEqual({ ok: true, value: 0.7 })
    expect(parseText(type, '.5')).toEqual({ ok: true, value: 0.5 })
    for (const raw of ['1.5', 'NaN', 'Infinity', '0x1', ''])
      expect(parseText(type, raw)).toEqual({ ok: false, expected: 'a number from 0 to 1' })
    expect(checkValue(type, Number.NaN).ok).toBe(false)
  })

  it('lets an optional URL be left empty, and still refuses anything that is not an http(s) URL', () => {
    const optional: SettingType = { kind: 'url', optional: true }
    expect(parseText(optional, '  ')).toEqual({ ok: true, value: '' })
    expect(parseText(optional, 'https://updates.example.org/kos/')).toEqual({
      ok: true,
      value: 'https://updates.example.org/kos'
    })
    expect(parseText(optional, 'ftp://x')).toEqual({ ok: false, expected: 'an http:// or https:// URL, or nothing' })
    expect(parseText({ kind: 'url' }, '')).toEqual({ ok: false, expected: 'an http:// or https:// URL' })
  })

  it('reads the usual words for booleans and nothing else', () => {
    const type = { kind: 'boolean' } as const
    for (const raw of ['true', 'YES', '1', 'on']) expect(parseText(type, raw)).toEqual({ ok: true, value: true })
    for (const raw of ['false', 'no', '0', 'Off']) expect(parseText(type, raw)).toEqual({ ok: true, value: false })
    expect(parseText(type, 'maybe').ok).toBe(false)
  })

  it('accepts only the listed options of an enum', () => {
    const type: SettingType = { kind: 'enum', options: ['safe', 'fast'] }
    expect(checkValue(type, 'fast')).toEqual({ ok: true, value: 'fast' })
    expect(checkValue(type, 'FAST')).toEqual({ ok: false, expected: 'one of safe, fast' })
  })

  it('accepts http(s) URLs, trimming a trailing slash, and refuses other schemes', () => {
    const type = { kind: 'url' } as const
    expect(checkValue(type, 'http://localhost:11434/')).toEqual({ ok: true, value: 'http://localhost:11434' })
    expect(checkValue(type, 'ftp://x').ok).toBe(false)
    expect(checkValue(type, 'not a url').ok).toBe(false)
  })

  it('accepts IP addresses and host names as hosts, not strings with spaces or slashes', () => {
    const type = { kind: 'host' } as const
    for (const ok of ['127.0.0.1', '::1', 'localhost', 'mac-mini.local']) expect(checkValue(type, ok).ok).toBe(true)
    for (const bad of ['my host', 'http://x', '', 5]) expect(checkValue(type, bad).ok).toBe(false)
  })
})
