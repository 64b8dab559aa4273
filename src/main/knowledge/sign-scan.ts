/**
 * The Hamming scan over every code, in WebAssembly: `i64.popcnt` counts 64
 * differing bits in one instruction where JavaScript needs two table
 * lookups per 32 bits, so ranking a million 256-bit prefixes takes ~3.5 ms
 * instead of ~22 (bench/kb.ts). The codes live in the module's memory so a
 * scan copies nothing; `sign-index.ts` writes them there directly.
 *
 * The module is 224 bytes, assembled from this text (wat2wasm 1.0.39):
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     (func (export "scan") (param $codes i32) (param $words i32) (param $count i32) (param $query i32) (param $out i32)
 *       (local $end i32) (local $pairs i32) (local $w i32) (local $d i64) (local $q i32) (local $c i32)
 *       (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))))
 *       (local.set $pairs (i32.shr_u (local.get $words) (i32.const 1)))
 *       (block $done
 *         (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
 *         (loop $code
 *           (local.set $d (i64.const 0)) (local.set $w (i32.const 0))
 *           (local.set $c (local.get $codes)) (local.set $q (local.get $query))
 *           (block $pairsDone
 *             (br_if $pairsDone (i32.eqz (local.get $pairs)))
 *             (loop $pair
 *               (local.set $d (i64.add (local.get $d)
 *                 (i64.popcnt (i64.xor (i64.load align=4 (local.get $c)) (i64.load align=4 (local.get $q))))))
 *               (local.set $c (i32.add (local.get $c) (i32.const 8)))
 *               (local.set $q (i32.add (local.get $q) (i32.const 8)))
 *               (local.set $w (i32.add (local.get $w) (i32.const 1)))
 *               (br_if $pair (i32.lt_u (local.get $w) (local.get $pairs)))))
 *           (if (i32.and (local.get $words) (i32.const 1))
 *             (then (local.set $d (i64.add (local.get $d)
 *               (i64.extend_i32_u (i32.popcnt (i32.xor (i32.load (local.get $c)) (i32.load (local.get $q)))))))))
 *           (i32.store16 (local.get $out) (i32.wrap_i64 (local.get $d)))
 *           (local.set $codes (i32.add (local.get $codes) (i32.shl (local.get $words) (i32.const 2))))
 *           (local.set $out (i32.add (local.get $out) (i32.const 2)))
 *           (br_if $code (i32.lt_u (local.get $out) (local.get $end)))))))
 */
const SCAN_MODULE_BASE64 =
  'AGFzbQEAAAABCQFgBX9/f39/AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcIAQRzY2FuAAAKqwEBqAEDA38BfgJ/IAQgAkEBdGohBSABQQF2IQYCQCAEIAVPDQADQEIAIQhBACEHIAAhCiADIQkCQCAGRQ0AA0AgCCAKKQIAIAkpAgCFe3whCCAKQQhqIQogCUEIaiEJIAdBAWohByAHIAZJDQALCyABQQFxBEAgCCAKKAIAIAkoAgBzaa18IQgLIAQgCKc7AQAgACABQQJ0aiEAIARBAmohBCAEIAVJDQALCws='

type ScanFunction = (codes: number, words: number, count: number, query: number, out: number) => void

/** The part of Node's WebAssembly global used here: the project's type libraries do not declare it. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer }
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> }
}
const wasm = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

let compiled: object | null = null
/** Compiled once, at the first index made (not at import: no import-time side effects). */
function scanModule(): object {
  compiled ??= new (wasm().Module)(Buffer.from(SCAN_MODULE_BASE64, 'base64'))
  return compiled
}

/**
 * Room for `capacity` codes of `words` words, their first `prefixWords`
 * words side by side, and one distance per slot, in one WebAssembly memory.
 * The views stay valid for the arena's life: a larger index makes a new
 * arena and copies (sign-index.ts doubles its capacity).
 */
export interface ScanArena {
  readonly capacity: number
  readonly codes: Uint32Array
  readonly prefix: Uint32Array
  readonly distances: Uint16Array
  /** Hamming distances of the first `count` codes' prefixes to the query's, into `distances[0 … count)`. */
  scanPrefix(query: Uint32Array, count: number): void
  /** Hamming distances of the first `count` whole codes to the query, into `distances[0 … count)`. */
  scanCodes(query: Uint32Array, count: number): void
}

/** Codes are at most 8,192 bits (the dimension a collection may have): the query fits in 1 KiB. */
const QUERY_BYTES = 1024
const PAGE = 65_536

export function createScanArena(capacity: number, words: number, prefixWords: number): ScanArena {
  if (words * 4 > QUERY_BYTES) throw new Error(`A sign code of ${words} words is longer than the scan's 1 KiB`)
  const align = (bytes: number): number => Math.ceil(bytes / 8) * 8
  const distancesAt = QUERY_BYTES
  const prefixAt = distancesAt + align(capacity * 2)
  const codesAt = prefixAt + align(capacity * prefixWords * 4)
  const bytes = codesAt + capacity * words * 4
  const pages = Math.ceil(bytes / PAGE)
  const memory = new (wasm().Memory)({ initial: pages, maximum: pages })
  const scan = new (wasm().Instance)(scanModule(), { env: { memory } }).exports.scan as ScanFunction
  const query = new Uint32Array(memory.buffer, 0, words)
  const run = (code: Uint32Array, at: number, stride: number, count: number): void => {
    query.set(code.subarray(0, words))
    scan(at, stride, Math.min(count, capacity), 0, distancesAt)
  }
  return {
    capacity,
    codes: new Uint32Array(memory.buffer, codesAt, capacity * words),
    prefix: new Uint32Array(memory.buffer, prefixAt, capacity * prefixWords),
    distances: new Uint16Array(memory.buffer, distancesAt, capacity),
    scanPrefix: (code, count) => run(code, prefixAt, prefixWords, count),
    scanCodes: (code, count) => run(code, codesAt, words, count)
  }
}
