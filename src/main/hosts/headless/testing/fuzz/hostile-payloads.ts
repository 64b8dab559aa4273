import { FRAME_LIMIT_BYTES } from '../../../../../shared/contract/limits'

/** A payload as it goes on the wire: JSON text, or raw bytes that are not even that. */
export type Wire = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'bytes'; readonly bytes: Buffer }

const text = (t: string): Wire => ({ kind: 'text', text: t })
const deep = (levels: number, leaf = '1'): string => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`
const deepArray = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`
const frame = (name: string, input: string, id = '1'): string =>
  `{"type":"call","id":${id},"name":${JSON.stringify(name)},"input":${input}}`

/**
 * Inputs (the JSON of a call's input) that no call accepts: wrong types, keys
 * no schema declares, `__proto__`, nesting thousands deep, strings and objects
 * past every limit. Sent to every call, with both tokens; each must come back
 * as a typed refusal and change nothing.
 */
export function hostileInputs(): readonly string[] {
  const wide = `{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`
  return [
    'null',
    '42',
    '"text"',
    '[]',
    'true',
    '{"__fuzz_unknown_key":1}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    `{"a":${deep(5000)}}`,
    deepArray(20_000),
    `{"title":${JSON.stringify('t'.repeat(2_000_000))}}`,
    wide,
    '{"id":1e309}',
    '{"id":"\\ud800"}',
    '{"limit":-1,"offset":1.5}',
    `{"metadata":{"a":${deep(200)}}}`
  ]
}

/** Whole frames and bodies that are malformed before any call is looked at. */
export function malformedFrames(): readonly Wire[] {
  return [
    text(''),
    text('not json'),
    text('{"type":"call"'),
    text('[]'),
    text('null'),
    text('"call"'),
    text('{}'),
    text('{"type":"call"}'),
    text('{"type":"call","id":1}'),
    text('{"type":"call","id":1,"name":"app.info"}'),
    text('{"type":"result","id":1,"result":{"ok":true,"value":1}}'),
    text('{"type":"call","id":-1,"name":"app.info","input":{}}'),
    text('{"type":"call","id":1.5,"name":"app.info","input":{}}'),
    text(`{"type":"call","id":"${'i'.repeat(100)}","name":"app.info","input":{}}`),
    text('{"type":"call","id":{},"name":"app.info","input":{}}'),
    text('{"type":"call","id":1,"name":"app.info","input":{},"extra":1}'),
    text('{"__proto__":{"type":"call"},"id":1,"name":"app.info","input":{}}'),
    text(frame('nope.nothing', '{}')),
    text(frame('__proto__', '{}')),
    text(frame('constructor', '{}')),
    text(frame('toString', '{}')),
    text(frame('hasOwnProperty', '{}')),
    text(frame('app.info.x', '{}')),
    text(frame('n'.repeat(100_000), '{}')),
    text(deep(100_000)),
    { kind: 'bytes', bytes: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
    { kind: 'bytes', bytes: Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(frame('app.info', '{}'))]) }
  ]
}

/** Larger than any transport takes: closes a WebSocket with 1009, refused with 413 over HTTP. */
export const OVERSIZED_BYTES = FRAME_LIMIT_BYTES + 1

export { frame }
