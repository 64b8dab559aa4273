import { hamming, nearestPositions } from '../src/main/knowledge/sign-bits'
import { wasm, type WasmFunction } from '../src/main/knowledge/sign-scan'

/**
 * The sign stage as it was before `bench:kb-sign` (the WebAssembly module of
 * commit 5429530's sign-scan.ts, whose comment holds its text): one pass over
 * every code's first `prefixWords` words storing each distance and counting it
 * into a histogram, a second picking the shortlist, then the whole codes of
 * the shortlist counted in JavaScript. Kept here to time beside the stage
 * that replaced it, on the same codes, in the same run.
 */
const BEFORE_MODULE_BASE64 =
  'AGFzbQEAAAABFAJgBn9/f39/fwBgBn9/f39/fwF/Ag8BA2VudgZtZW1vcnkCAAEDAwIAAQcPAgRzY2FuAAAEcGljawABCqsCAsABAwN/AX4DfyAEIAJBAXRqIQYgAUEBdiEHAkAgBCAGTw0AA0BCACEJQQAhCCAAIQsgAyEKAkAgB0UNAANAIAkgCykCACAKKQIAhXt8IQkgC0EIaiELIApBCGohCiAIQQFqIQggCCAHSQ0ACwsgAUEBcQRAIAkgCygCACAKKAIAc2mtfCEJCyAEIAmnOwEAIAUgCadBAnRqIQwgDCAMKAIAQQFqNgIAIAAgAUECdGohACAEQQJqIQQgBCAGSQ0ACwsLZwEDfwJAA0AgBiABTw0BIAcgBE8NASAAIAZBAXRqLwEAIQggCCACSSAIIAJGIANBAEpxcgRAIAggAkYEQCADQQFrIQMLIAUgB0ECdGogBjYCACAHQQFqIQcLIAZBAWohBgwACwsgBws='

/** The stage as it was, over a copy of `count` codes of `words` words: (query, shortlist, keep) → the `keep` nearest slots. */
export function stageBefore(
  codes: Uint32Array,
  count: number,
  words: number,
  prefixWords: number
): (query: Uint32Array, shortlist: number, keep: number) => number[] {
  const api = wasm()
  const maxDistance = 8192
  const histogramAt = 1024
  const distancesAt = histogramAt + (maxDistance + 1) * 4 + 4
  const pickedAt = distancesAt + Math.ceil((count * 2) / 8) * 8
  const prefixAt = pickedAt + count * 4
  const pages = Math.ceil((prefixAt + count * prefixWords * 4) / 65_536)
  const memory = new api.Memory({ initial: pages, maximum: pages })
  const exports = new api.Instance(new api.Module(Buffer.from(BEFORE_MODULE_BASE64, 'base64')), { env: { memory } })
    .exports
  const scan = exports.scan as WasmFunction
  const pick = exports.pick as WasmFunction
  const prefix = new Uint32Array(memory.buffer, prefixAt, count * prefixWords)
  for (let slot = 0; slot < count; slot++)
    prefix.set(codes.subarray(slot * words, slot * words + prefixWords), slot * prefixWords)
  const queryView = new Uint32Array(memory.buffer, 0, prefixWords)
  const histogram = new Uint32Array(memory.buffer, histogramAt, maxDistance + 1)
  const picked = new Uint32Array(memory.buffer, pickedAt, count)
  let distances = new Uint16Array(0)
  return (query, shortlistSize, keep) => {
    const wanted = Math.min(shortlistSize, count)
    queryView.set(query.subarray(0, prefixWords))
    histogram.fill(0)
    scan(prefixAt, prefixWords, count, 0, distancesAt, histogramAt)
    let cut = 0
    let below = 0
    while (below + histogram[cut]! < wanted) below += histogram[cut++]!
    const shortlist = picked.slice(0, pick(distancesAt, count, cut, wanted - below, wanted, pickedAt))
    if (distances.length < shortlist.length) distances = new Uint16Array(shortlist.length)
    shortlist.forEach((slot, i) => (distances[i] = hamming(codes, slot * words, query, words)))
    return nearestPositions(distances, shortlist.length, keep, words * 32).map((i) => shortlist[i]!)
  }
}
