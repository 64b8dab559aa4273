/**
 * The Hamming scan over every code, in WebAssembly: `i64.popcnt` counts 64
 * differing bits in one instruction where JavaScript needs two table
 * lookups per 32 bits, and the same pass counts the distances into a
 * histogram, so the `keep` nearest are picked in one more pass without a
 * sort (bench/kb.ts times it beside the JavaScript scan on the same codes).
 * The codes live in the module's memory so a scan copies nothing;
 * `sign-index.ts` writes them there directly.
 *
 * The module is 371 bytes, assembled from this text (wat2wasm 1.0.39):
 *
 *   (module
 *     (import "env" "memory" (memory 1))
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
 *       (local.get $n)))
 */
const SCAN_MODULE_BASE64 =
  'AGFzbQEAAAABFAJgBn9/f39/fwBgBn9/f39/fwF/Ag8BA2VudgZtZW1vcnkCAAEDAwIAAQcPAgRzY2FuAAAEcGljawABCqsCAsABAwN/AX4DfyAEIAJBAXRqIQYgAUEBdiEHAkAgBCAGTw0AA0BCACEJQQAhCCAAIQsgAyEKAkAgB0UNAANAIAkgCykCACAKKQIAhXt8IQkgC0EIaiELIApBCGohCiAIQQFqIQggCCAHSQ0ACwsgAUEBcQRAIAkgCygCACAKKAIAc2mtfCEJCyAEIAmnOwEAIAUgCadBAnRqIQwgDCAMKAIAQQFqNgIAIAAgAUECdGohACAEQQJqIQQgBCAGSQ0ACwsLZwEDfwJAA0AgBiABTw0BIAcgBE8NASAAIAZBAXRqLwEAIQggCCACSSAIIAJGIANBAEpxcgRAIAggAkYEQCADQQFrIQMLIAUgB0ECdGogBjYCACAHQQFqIQcLIAZBAWohBgwACwsgBws='

type ScanFunction = (codes: number, words: number, count: number, query: number, out: number, histogram: number) => void
type PickFunction = (
  distances: number,
  count: number,
  cut: number,
  atCut: number,
  wanted: number,
  into: number
) => number

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
  /**
   * The slots of the `keep` codes among the first `count` nearest the query
   * in Hamming distance, in slot order (ties at the cut go to the lower
   * slots): by their first `prefixWords` words, or by the whole code.
   */
  nearest(query: Uint32Array, count: number, keep: number, by: 'prefix' | 'code'): Uint32Array
}

/** Codes are at most 8,192 bits (the dimension a collection may have): the query fits in 1 KiB. */
const QUERY_BYTES = 1024
const MAX_DISTANCE = QUERY_BYTES * 8
const PAGE = 65_536
/** A wasm32 memory addresses 4 GiB. */
const MAX_PAGES = 65_536

export function createScanArena(capacity: number, words: number, prefixWords: number): ScanArena {
  if (words * 4 > QUERY_BYTES) throw new Error(`A sign code of ${words} words is longer than the scan's 1 KiB`)
  const align = (bytes: number): number => Math.ceil(bytes / 8) * 8
  const histogramAt = QUERY_BYTES
  const distancesAt = histogramAt + align((MAX_DISTANCE + 1) * 4)
  const pickedAt = distancesAt + align(capacity * 2)
  const prefixAt = pickedAt + capacity * 4
  const codesAt = prefixAt + align(capacity * prefixWords * 4)
  const pages = Math.ceil((codesAt + capacity * words * 4) / PAGE)
  if (pages > MAX_PAGES)
    throw new Error(
      `The sign codes of ${capacity} vectors of ${words * 32} dimensions need ${Math.ceil((pages * PAGE) / 2 ** 20)} MiB of scan memory, more than the 4 GiB one WebAssembly memory holds; split the knowledge base, or use an embedding model of fewer dimensions.`
    )
  const memory = new (wasm().Memory)({ initial: pages, maximum: pages })
  const exports = new (wasm().Instance)(scanModule(), { env: { memory } }).exports
  const scan = exports.scan as ScanFunction
  const pick = exports.pick as PickFunction
  const query = new Uint32Array(memory.buffer, 0, words)
  const histogram = new Uint32Array(memory.buffer, histogramAt, MAX_DISTANCE + 1)
  const picked = new Uint32Array(memory.buffer, pickedAt, capacity)
  return {
    capacity,
    codes: new Uint32Array(memory.buffer, codesAt, capacity * words),
    prefix: new Uint32Array(memory.buffer, prefixAt, capacity * prefixWords),
    nearest(code, count, keep, by) {
      const n = Math.min(count, capacity)
      const wanted = Math.min(keep, n)
      query.set(code.subarray(0, words))
      histogram.fill(0)
      scan(by === 'prefix' ? prefixAt : codesAt, by === 'prefix' ? prefixWords : words, n, 0, distancesAt, histogramAt)
      // The distance at which the `wanted` nearest end, and how many of that distance they take.
      let cut = 0
      let below = 0
      while (below + histogram[cut]! < wanted) below += histogram[cut++]!
      const taken = pick(distancesAt, n, cut, wanted - below, wanted, pickedAt)
      return picked.slice(0, taken)
    }
  }
}
