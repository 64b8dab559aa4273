/**
 * The Hamming scans over every code, in WebAssembly: `i64.popcnt` counts 64 differing bits in one
 * instruction where JavaScript needs two table lookups per 32 bits. The codes live in the module's
 * memory so a scan copies nothing. Two searches:
 * - `nearest`, by whole code (collections under TWO_STAGE_FROM codes): `scan` counts each distance
 *   into a histogram as it goes, `pick` takes the nearest in one more pass.
 * - `nearestInTwoStages` (a million codes in 2.3–3.4 ms of CPU at the median on a loaded 2-core
 *   machine, ~2.8 times less than the single pass with a histogram it replaced; bench/kb-sign.ts): the
 *   first PREFIX_WORDS words of every code, kept side by side, are read in one stream by `within`,
 *   four codes an iteration with the query's words in registers, which writes the address of each code
 *   within `limit` bits of the query: the store is unconditional and the write position advances by
 *   the comparison, so there is no branch, and no distance per code written and read back. The limit
 *   comes from a sample (every SAMPLE_STEP-th prefix, also kept side by side so `histogram` reads it
 *   in one short stream): the distance within which a few more than the shortlist lie. Those few
 *   thousand are counted again by `distances`, by their prefixes, then (the shortlist) by their whole
 *   codes, each time selected in JavaScript; `distances` first touches every code it will read so that
 *   their cache misses overlap. At a million codes `within` reads the 32 MB of prefixes about as fast
 *   as a plain sum of them (memory bound: a second thread summing half gained under 10% on this
 *   machine). When the sample misjudged and fewer than the shortlist lie within the limit, `within`
 *   runs again farther out (the third time over every code), so the result is always that of an exact
 *   count (the property tests compare it with one).
 *
 * The module is 1227 bytes, assembled from this text by wat2wasm 1.0.39
 * (the npm package `wabt`: `npx -p wabt@1.0.39 wat2wasm scan.wat`):
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     (global $touched (mut i32) (i32.const 0))
 *     (func (export "scan") (param $codes i32) (param $words i32) (param $count i32) (param $query i32) (param $out i32) (param $histogram i32)
 *       (local $end i32) (local $pairs i32) (local $w i32) (local $d i64) (local $q i32) (local $c i32) (local $h i32)
 *       (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))))
 *       (local.set $pairs (i32.shr_u (local.get $words) (i32.const 1)))
 *       (block $done
 *         (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
 *         (loop $code
 *           (local.set $d (i64.const 0))
 *           (local.set $w (i32.const 0))
 *           (local.set $c (local.get $codes))
 *           (local.set $q (local.get $query))
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
 *           (local.set $h (i32.add (local.get $histogram) (i32.shl (i32.wrap_i64 (local.get $d)) (i32.const 2))))
 *           (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))
 *           (local.set $codes (i32.add (local.get $codes) (i32.shl (local.get $words) (i32.const 2))))
 *           (local.set $out (i32.add (local.get $out) (i32.const 2)))
 *           (br_if $code (i32.lt_u (local.get $out) (local.get $end))))))
 *     (func (export "pick") (param $distances i32) (param $count i32) (param $cut i32) (param $atCut i32) (param $wanted i32) (param $into i32) (result i32)
 *       (local $i i32) (local $n i32) (local $d i32)
 *       (block $done
 *         (loop $next
 *           (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
 *           (br_if $done (i32.ge_u (local.get $n) (local.get $wanted)))
 *           (local.set $d (i32.load16_u (i32.add (local.get $distances) (i32.shl (local.get $i) (i32.const 1)))))
 *           (if (i32.or (i32.lt_u (local.get $d) (local.get $cut))
 *                       (i32.and (i32.eq (local.get $d) (local.get $cut)) (i32.gt_s (local.get $atCut) (i32.const 0))))
 *             (then
 *               (if (i32.eq (local.get $d) (local.get $cut)) (then (local.set $atCut (i32.sub (local.get $atCut) (i32.const 1)))))
 *               (i32.store (i32.add (local.get $into) (i32.shl (local.get $n) (i32.const 2))) (local.get $i))
 *               (local.set $n (i32.add (local.get $n) (i32.const 1)))))
 *           (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *           (br $next)))
 *       (local.get $n))
 *     (func (export "histogram") (param $p i32) (param $count i32) (param $query i32) (param $histogram i32)
 *       (local $q0 i64) (local $q1 i64) (local $q2 i64) (local $q3 i64) (local $end i32) (local $h i32)
 *       (local.set $q0 (i64.load (local.get $query)))
 *       (local.set $q1 (i64.load offset=8 (local.get $query)))
 *       (local.set $q2 (i64.load offset=16 (local.get $query)))
 *       (local.set $q3 (i64.load offset=24 (local.get $query)))
 *       (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 5))))
 *       (block $done
 *         (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *         (loop $code
 *           (local.set $h (i32.add (local.get $histogram) (i32.shl (i32.wrap_i64 (i64.add
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $q0)))
 *                      (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $q1))))
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=16 (local.get $p)) (local.get $q2)))
 *                      (i64.popcnt (i64.xor (i64.load offset=24 (local.get $p)) (local.get $q3)))))) (i32.const 2))))
 *           (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))
 *           (local.set $p (i32.add (local.get $p) (i32.const 32)))
 *           (br_if $code (i32.lt_u (local.get $p) (local.get $end))))))
 *     (func (export "within") (param $p i32) (param $count i32) (param $query i32) (param $limit i32) (param $out i32) (result i32)
 *       (local $q0 i64) (local $q1 i64) (local $q2 i64) (local $q3 i64) (local $quads i32) (local $end i32)
 *       (local.set $q0 (i64.load (local.get $query)))
 *       (local.set $q1 (i64.load offset=8 (local.get $query)))
 *       (local.set $q2 (i64.load offset=16 (local.get $query)))
 *       (local.set $q3 (i64.load offset=24 (local.get $query)))
 *       (local.set $quads (i32.add (local.get $p) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 5))))
 *       (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 5))))
 *       (block $quadsDone
 *         (br_if $quadsDone (i32.ge_u (local.get $p) (local.get $quads)))
 *         (loop $quad
 *           (i32.store (local.get $out) (i32.add (local.get $p) (i32.const 0)))
 *           (local.set $out (i32.add (local.get $out) (i32.shl (i32.le_u (i32.wrap_i64 (i64.add
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $q0)))
 *                      (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $q1))))
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=16 (local.get $p)) (local.get $q2)))
 *                      (i64.popcnt (i64.xor (i64.load offset=24 (local.get $p)) (local.get $q3)))))) (local.get $limit)) (i32.const 2))))
 *           (i32.store (local.get $out) (i32.add (local.get $p) (i32.const 32)))
 *           (local.set $out (i32.add (local.get $out) (i32.shl (i32.le_u (i32.wrap_i64 (i64.add
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=32 (local.get $p)) (local.get $q0)))
 *                      (i64.popcnt (i64.xor (i64.load offset=40 (local.get $p)) (local.get $q1))))
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=48 (local.get $p)) (local.get $q2)))
 *                      (i64.popcnt (i64.xor (i64.load offset=56 (local.get $p)) (local.get $q3)))))) (local.get $limit)) (i32.const 2))))
 *           (i32.store (local.get $out) (i32.add (local.get $p) (i32.const 64)))
 *           (local.set $out (i32.add (local.get $out) (i32.shl (i32.le_u (i32.wrap_i64 (i64.add
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=64 (local.get $p)) (local.get $q0)))
 *                      (i64.popcnt (i64.xor (i64.load offset=72 (local.get $p)) (local.get $q1))))
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=80 (local.get $p)) (local.get $q2)))
 *                      (i64.popcnt (i64.xor (i64.load offset=88 (local.get $p)) (local.get $q3)))))) (local.get $limit)) (i32.const 2))))
 *           (i32.store (local.get $out) (i32.add (local.get $p) (i32.const 96)))
 *           (local.set $out (i32.add (local.get $out) (i32.shl (i32.le_u (i32.wrap_i64 (i64.add
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=96 (local.get $p)) (local.get $q0)))
 *                      (i64.popcnt (i64.xor (i64.load offset=104 (local.get $p)) (local.get $q1))))
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=112 (local.get $p)) (local.get $q2)))
 *                      (i64.popcnt (i64.xor (i64.load offset=120 (local.get $p)) (local.get $q3)))))) (local.get $limit)) (i32.const 2))))
 *           (local.set $p (i32.add (local.get $p) (i32.const 128)))
 *           (br_if $quad (i32.lt_u (local.get $p) (local.get $quads)))))
 *       (block $done
 *         (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *         (loop $code
 *           (i32.store (local.get $out) (i32.add (local.get $p) (i32.const 0)))
 *           (local.set $out (i32.add (local.get $out) (i32.shl (i32.le_u (i32.wrap_i64 (i64.add
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $q0)))
 *                      (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $q1))))
 *             (i64.add (i64.popcnt (i64.xor (i64.load offset=16 (local.get $p)) (local.get $q2)))
 *                      (i64.popcnt (i64.xor (i64.load offset=24 (local.get $p)) (local.get $q3)))))) (local.get $limit)) (i32.const 2))))
 *           (local.set $p (i32.add (local.get $p) (i32.const 32)))
 *           (br_if $code (i32.lt_u (local.get $p) (local.get $end)))))
 *       (local.get $out))
 *     (func (export "distances") (param $codes i32) (param $words i32) (param $slots i32) (param $count i32) (param $query i32) (param $out i32)
 *       (local $end i32) (local $bytes i32) (local $s i32) (local $pairs i32) (local $w i32) (local $d i64) (local $q i32) (local $c i32)
 *       (local.set $end (i32.add (local.get $slots) (i32.shl (local.get $count) (i32.const 2))))
 *       (local.set $bytes (i32.shl (local.get $words) (i32.const 2)))
 *       (local.set $pairs (i32.shr_u (local.get $words) (i32.const 1)))
 *       (block $done
 *         (br_if $done (i32.ge_u (local.get $slots) (local.get $end)))
 *         (local.set $s (local.get $slots))
 *         (loop $touch
 *           (local.set $c (i32.add (local.get $codes) (i32.mul (i32.load (local.get $s)) (local.get $bytes))))
 *           (global.set $touched (i32.add (global.get $touched)
 *             (i32.add (i32.load8_u (local.get $c)) (i32.load8_u (i32.sub (i32.add (local.get $c) (local.get $bytes)) (i32.const 1))))))
 *           (local.set $s (i32.add (local.get $s) (i32.const 4)))
 *           (br_if $touch (i32.lt_u (local.get $s) (local.get $end))))
 *         (loop $code
 *           (local.set $d (i64.const 0))
 *           (local.set $w (i32.const 0))
 *           (local.set $c (i32.add (local.get $codes) (i32.mul (i32.load (local.get $slots)) (local.get $bytes))))
 *           (local.set $q (local.get $query))
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
 *           (local.set $slots (i32.add (local.get $slots) (i32.const 4)))
 *           (local.set $out (i32.add (local.get $out) (i32.const 2)))
 *           (br_if $code (i32.lt_u (local.get $slots) (local.get $end))))))
 *   )
 */
const SCAN_MODULE_BASE64 =
  'AGFzbQEAAAABJARgBn9/f39/fwBgBn9/f39/fwF/YAR/f39/AGAFf39/f38BfwIPAQNlbnYGbWVtb3J5AgABAwYFAAECAwAGBgF/AUEACwcwBQRzY2FuAAAEcGljawABCWhpc3RvZ3JhbQACBndpdGhpbgADCWRpc3RhbmNlcwAECscIBcABAwN/AX4DfyAEIAJBAXRqIQYgAUEBdiEHAkAgBCAGTw0AA0BCACEJQQAhCCAAIQsgAyEKAkAgB0UNAANAIAkgCykCACAKKQIAhXt8IQkgC0EIaiELIApBCGohCiAIQQFqIQggCCAHSQ0ACwsgAUEBcQRAIAkgCygCACAKKAIAc2mtfCEJCyAEIAmnOwEAIAUgCadBAnRqIQwgDCAMKAIAQQFqNgIAIAAgAUECdGohACAEQQJqIQQgBCAGSQ0ACwsLZwEDfwJAA0AgBiABTw0BIAcgBE8NASAAIAZBAXRqLwEAIQggCCACSSAIIAJGIANBAEpxcgRAIAggAkYEQCADQQFrIQMLIAUgB0ECdGogBjYCACAHQQFqIQcLIAZBAWohBgwACwsgBwuEAQIEfgJ/IAIpAwAhBCACKQMIIQUgAikDECEGIAIpAxghByAAIAFBBXRqIQgCQCAAIAhPDQADQCADIAApAwAgBIV7IAApAwggBYV7fCAAKQMQIAaFeyAAKQMYIAeFe3x8p0ECdGohCSAJIAkoAgBBAWo2AgAgAEEgaiEAIAAgCEkNAAsLC6UDAgR+An8gAikDACEFIAIpAwghBiACKQMQIQcgAikDGCEIIAAgAUF8cUEFdGohCSAAIAFBBXRqIQoCQCAAIAlPDQADQCAEIABBAGo2AgAgBCAAKQMAIAWFeyAAKQMIIAaFe3wgACkDECAHhXsgACkDGCAIhXt8fKcgA01BAnRqIQQgBCAAQSBqNgIAIAQgACkDICAFhXsgACkDKCAGhXt8IAApAzAgB4V7IAApAzggCIV7fHynIANNQQJ0aiEEIAQgAEHAAGo2AgAgBCAAKQNAIAWFeyAAKQNIIAaFe3wgACkDUCAHhXsgACkDWCAIhXt8fKcgA01BAnRqIQQgBCAAQeAAajYCACAEIAApA2AgBYV7IAApA2ggBoV7fCAAKQNwIAeFeyAAKQN4IAiFe3x8pyADTUECdGohBCAAQYABaiEAIAAgCUkNAAsLAkAgACAKTw0AA0AgBCAAQQBqNgIAIAQgACkDACAFhXsgACkDCCAGhXt8IAApAxAgB4V7IAApAxggCIV7fHynIANNQQJ0aiEEIABBIGohACAAIApJDQALCyAEC+0BAwV/AX4CfyACIANBAnRqIQYgAUECdCEHIAFBAXYhCQJAIAIgBk8NACACIQgDQCAAIAgoAgAgB2xqIQ0jACANLQAAIA0gB2pBAWstAABqaiQAIAhBBGohCCAIIAZJDQALA0BCACELQQAhCiAAIAIoAgAgB2xqIQ0gBCEMAkAgCUUNAANAIAsgDSkCACAMKQIAhXt8IQsgDUEIaiENIAxBCGohDCAKQQFqIQogCiAJSQ0ACwsgAUEBcQRAIAsgDSgCACAMKAIAc2mtfCELCyAFIAunOwEAIAJBBGohAiAFQQJqIQUgAiAGSQ0ACwsL'

/** A function the module exports: addresses and counts in, a count or an address out (the text above gives each one's parameters). */
type WasmFunction = (...args: number[]) => number

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

/** Words of each code the first of two stages reads (`histogram` and `within` are written for exactly this many). */
export const PREFIX_WORDS = 8
/** Codes shorter than this are scanned whole: a prefix would be most of the code. */
export const TWO_STAGE_MIN_WORDS = 2 * PREFIX_WORDS
/** One prefix in this many is sampled: ~150 sampled prefixes lie within a shortlist of 2,400 among a million. */
export const SAMPLE_STEP = 16
const PREFIX_BITS = PREFIX_WORDS * 32
const PREFIX_BYTES = PREFIX_WORDS * 4

/**
 * Room for `capacity` codes of `words` words in one WebAssembly memory,
 * with (when the codes are long enough for two stages) their first
 * PREFIX_WORDS words side by side and every SAMPLE_STEP-th of those again,
 * and a distance and slot per code. A larger index makes a new arena and
 * copies (sign-index.ts doubles its capacity).
 */
export interface ScanArena {
  readonly capacity: number
  /** The codes, slot after slot: read them here, write them with `write`, which keeps the prefixes in step. */
  readonly codes: Uint32Array
  /** PREFIX_WORDS, or 0 when the codes are shorter than TWO_STAGE_MIN_WORDS (no prefixes kept). */
  readonly prefixWords: number
  /** Writes `count` codes from `source[offset …]` into the slots from `slot` on (all within the arena and the source). */
  write(slot: number, source: Uint32Array, offset: number, count?: number): void
  /** The slots of the `keep` codes among the first `count` nearest the query by whole code, in slot order (ties at the cut go to the lower slots). */
  nearest(query: Uint32Array, count: number, keep: number): Uint32Array
  /**
   * The slots of the `keep` codes nearest by whole code among the
   * `shortlist` of the first `count` nearest by prefix, in slot order (ties
   * to the lower slots in both stages).
   */
  nearestInTwoStages(query: Uint32Array, count: number, shortlist: number, keep: number): Uint32Array
  /** Passes over every prefix so far: one per two-stage search, more where the sample misjudged (bench/kb-sign.ts reports them). */
  readonly prefixPasses: number
}

/** Codes are at most 8,192 bits (the dimension a collection may have): the query fits in 1 KiB. */
const QUERY_BYTES = 1024
const MAX_DISTANCE = QUERY_BYTES * 8
const PAGE = 65_536
/** A wasm32 memory addresses 4 GiB. */
const MAX_PAGES = 65_536

export function createScanArena(capacity: number, words: number): ScanArena {
  if (words * 4 > QUERY_BYTES) throw new Error(`A sign code of ${words} words is longer than the scan's 1 KiB`)
  const prefixWords = words >= TWO_STAGE_MIN_WORDS ? PREFIX_WORDS : 0
  const samples = Math.ceil(capacity / SAMPLE_STEP)
  const align = (bytes: number): number => Math.ceil(bytes / 64) * 64
  const histogramAt = QUERY_BYTES
  const distancesAt = histogramAt + align((MAX_DISTANCE + 1) * 4)
  const pickedAt = distancesAt + align(capacity * 2)
  const samplesAt = pickedAt + align(capacity * 4)
  const prefixAt = samplesAt + align(samples * prefixWords * 4)
  const codesAt = prefixAt + align(capacity * prefixWords * 4)
  const pages = Math.ceil((codesAt + capacity * words * 4) / PAGE)
  if (pages > MAX_PAGES)
    throw new Error(
      `The sign codes of ${capacity} vectors of ${words * 32} dimensions need ${Math.ceil((pages * PAGE) / 2 ** 20)} MiB of scan memory, more than the 4 GiB one WebAssembly memory holds; split the knowledge base, or use an embedding model of fewer dimensions.`
    )
  const memory = new (wasm().Memory)({ initial: pages, maximum: pages })
  const exports = new (wasm().Instance)(scanModule(), { env: { memory } }).exports
  const scan = exports.scan as WasmFunction
  const pick = exports.pick as WasmFunction
  const sampleHistogram = exports.histogram as WasmFunction
  const within = exports.within as WasmFunction
  const distancesOf = exports.distances as WasmFunction
  const query = new Uint32Array(memory.buffer, 0, words)
  const histogram = new Uint32Array(memory.buffer, histogramAt, MAX_DISTANCE + 1)
  const distances = new Uint16Array(memory.buffer, distancesAt, capacity)
  const picked = new Uint32Array(memory.buffer, pickedAt, capacity)
  const codes = new Uint32Array(memory.buffer, codesAt, capacity * words)
  const prefix = new Uint32Array(memory.buffer, prefixAt, capacity * prefixWords)
  const sampled = new Uint32Array(memory.buffer, samplesAt, samples * prefixWords)
  let prefixPasses = 0

  /** The first distance within which `want` of the sampled prefixes lie (PREFIX_BITS, every prefix, when fewer were sampled). */
  const sampledLimit = (want: number): number => {
    let limit = 0
    for (let seen = histogram[0]!; seen < want && limit < PREFIX_BITS;) seen += histogram[++limit]!
    return limit
  }
  /** Slots of the prefixes within `limit` of the query into `picked`, from the addresses `within` wrote; returns how many. */
  const slotsWithin = (n: number, limit: number): number => {
    prefixPasses++
    const found = (within(prefixAt, n, 0, limit, pickedAt) - pickedAt) / 4
    for (let i = 0; i < found; i++) picked[i] = (picked[i]! - prefixAt) / PREFIX_BYTES
    return found
  }

  return {
    capacity,
    codes,
    prefixWords,
    get prefixPasses() {
      return prefixPasses
    },
    write(slot, source, offset, count = 1) {
      // Typed arrays drop writes past their end: a wrong count would lose codes without a word.
      if (slot + count > capacity || offset + count * words > source.length)
        throw new RangeError(
          `Cannot write ${count} codes of ${words} words from word ${offset} of ${source.length} into slot ${slot} of ${capacity}`
        )
      codes.set(source.subarray(offset, offset + count * words), slot * words)
      if (prefixWords === 0) return
      for (let s = slot, from = offset; s < slot + count; s++, from += words) {
        for (let w = 0, at = s * prefixWords; w < prefixWords; w++) prefix[at + w] = source[from + w]!
        if (s % SAMPLE_STEP !== 0) continue
        for (let w = 0, at = (s / SAMPLE_STEP) * prefixWords; w < prefixWords; w++) sampled[at + w] = source[from + w]!
      }
    },
    nearest(code, count, keep) {
      const n = Math.min(count, capacity)
      const wanted = Math.min(keep, n)
      query.set(code.subarray(0, words))
      histogram.fill(0)
      scan(codesAt, words, n, 0, distancesAt, histogramAt)
      // The distance at which the `wanted` nearest end, and how many of that distance they take.
      let cut = 0
      let below = 0
      while (below + histogram[cut]! < wanted) below += histogram[cut++]!
      const taken = pick(distancesAt, n, cut, wanted - below, wanted, pickedAt)
      return picked.slice(0, taken)
    },
    nearestInTwoStages(code, count, shortlist, keep) {
      if (prefixWords === 0)
        throw new Error(
          `Codes of ${words} words are scanned whole: two stages need ${TWO_STAGE_MIN_WORDS} words or more`
        )
      const n = Math.min(count, capacity)
      const listed = Math.min(shortlist, n)
      if (listed === 0) return new Uint32Array(0)
      query.set(code.subarray(0, words))
      histogram.fill(0, 0, PREFIX_BITS + 1)
      // The sampled slots below n: 0, SAMPLE_STEP, 2 × SAMPLE_STEP …
      const sampledCount = Math.ceil(n / SAMPLE_STEP)
      sampleHistogram(samplesAt, sampledCount, 0, histogramAt)
      // Sampled prefixes expected within the shortlist's distance, and a margin of four standard deviations (and a few) above that.
      const expected = (listed * sampledCount) / n
      const margin = 4 * Math.sqrt(expected) + 8
      let limit = sampledLimit(expected + margin)
      let found = slotsWithin(n, limit)
      for (let retry = 1; found < listed; retry++) {
        // Farther out: four times the margin, then every prefix (found is then n).
        limit = retry === 1 ? Math.max(limit + 1, sampledLimit(expected + 4 * margin)) : PREFIX_BITS
        found = slotsWithin(n, limit)
      }
      distancesOf(prefixAt, PREFIX_WORDS, pickedAt, found, 0, distancesAt)
      const kept = keepNearest(picked, distances, found, listed, histogram)
      distancesOf(codesAt, words, pickedAt, kept, 0, distancesAt)
      return picked.slice(0, keepNearest(picked, distances, kept, Math.min(keep, kept), histogram))
    }
  }
}

/**
 * Keeps, in place, the `wanted` (at most `n`) entries of `slots` and
 * `distances` with the smallest distances, in their order, ties to the
 * earlier entries; returns how many. A counting select: the distances are
 * small integers, and the entries a few thousand.
 */
function keepNearest(
  slots: Uint32Array,
  distances: Uint16Array,
  n: number,
  wanted: number,
  histogram: Uint32Array
): number {
  let largest = 0
  for (let i = 0; i < n; i++) largest = Math.max(largest, distances[i]!)
  histogram.fill(0, 0, largest + 1)
  for (let i = 0; i < n; i++) histogram[distances[i]!]!++
  let cut = 0
  let below = 0
  while (below + histogram[cut]! < wanted) below += histogram[cut++]!
  let atCut = wanted - below
  let kept = 0
  for (let i = 0; i < n && kept < wanted; i++) {
    const d = distances[i]!
    if (d < cut || (d === cut && atCut-- > 0)) {
      slots[kept] = slots[i]!
      distances[kept++] = d
    }
  }
  return kept
}
