import { isIP } from 'node:net'
import type { SettingType, SettingValue } from '../../shared/contract/config-contract'

export type Checked =
  { readonly ok: true; readonly value: SettingValue } | { readonly ok: false; readonly expected: string }

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on'])
const FALSE_WORDS = new Set(['false', '0', 'no', 'off'])
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

export function describeType(type: SettingType): string {
  switch (type.kind) {
    case 'integer':
      return `a whole number from ${type.min} to ${type.max}${type.unit ? ` (${type.unit})` : ''}`
    case 'number':
      return `a number from ${type.min} to ${type.max}`
    case 'boolean':
      return 'true or false'
    case 'enum':
      return `one of ${type.options.join(', ')}`
    case 'url':
      return type.optional ? 'an http:// or https:// URL, or nothing' : 'an http:// or https:// URL'
    case 'host':
      return 'an IP address or host name'
  }
}

/** Checks a typed value, as found in a profile, the settings file or a contract call. */
export function checkValue(type: SettingType, value: unknown): Checked {
  const fail: Checked = { ok: false, expected: describeType(type) }
  switch (type.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= type.min && value <= type.max
        ? { ok: true, value }
        : fail
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= type.min && value <= type.max
        ? { ok: true, value }
        : fail
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : fail
    case 'enum':
      return typeof value === 'string' && type.options.includes(value) ? { ok: true, value } : fail
    case 'url':
      if (type.optional && value === '') return { ok: true, value }
      return typeof value === 'string' && isHttpUrl(value) ? { ok: true, value: value.replace(/\/+$/, '') } : fail
    case 'host':
      return typeof value === 'string' && (isIP(value) !== 0 || HOSTNAME.test(value)) ? { ok: true, value } : fail
  }
}

/** Reads a value typed as text, as found on the command line or in the environment. */
export function parseText(type: SettingType, raw: string): Checked {
  const text = raw.trim()
  switch (type.kind) {
    case 'integer':
      return checkValue(type, /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN)
    case 'number':
      return checkValue(type, /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN)
    case 'boolean': {
      const word = text.toLowerCase()
      if (TRUE_WORDS.has(word)) return { ok: true, value: true }
      if (FALSE_WORDS.has(word)) return { ok: true, value: false }
      return { ok: false, expected: describeType(type) }
    }
    default:
      return checkValue(type, text)
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}
