/** A vector's int8 codes and factor (fine-codes.ts). */
export interface FineCode {
  readonly factor: number
  readonly codes: Int8Array
}

/**
 * The fine codes of a sign index's slots: `dimension` int8s and one factor a slot, the factor NaN where a
 * slot has none yet. The int8s are made at the first fine code, not at a start (which reads none): a large
 * zero-filled array costs its whole size at once.
 */
export function createFineSlots(dimension: number, capacity: number) {
  let room = capacity
  let codes = new Int8Array(0)
  let factors = new Float32Array(capacity).fill(NaN)
  const makeRoom = (): void => {
    if (codes.length >= room * dimension) return
    const grown = new Int8Array(room * dimension)
    grown.set(codes)
    codes = grown
  }
  return {
    dimension,
    /** Views of every slot's int8s and factor; replaced when the index grows. */
    get view(): { readonly codes: Int8Array; readonly factors: Float32Array } {
      return { codes, factors }
    },
    grow(capacity: number): void {
      room = capacity
      if (codes.length > 0) makeRoom()
      const grown = new Float32Array(capacity).fill(NaN)
      grown.set(factors)
      factors = grown
    },
    /** The slot's fine code, or none (a NaN factor) when `fine` is missing. */
    set(slot: number, fine?: FineCode): void {
      factors[slot] = fine ? fine.factor : NaN
      if (!fine || Number.isNaN(fine.factor)) return
      makeRoom()
      codes.set(fine.codes.subarray(0, dimension), slot * dimension)
    },
    /** What a slot holds, for moving it to another slot. */
    at(slot: number): FineCode {
      return { factor: factors[slot]!, codes: codes.subarray(slot * dimension, (slot + 1) * dimension) }
    },
    clear(from: number, to: number): void {
      factors.fill(NaN, from, to)
    },
    /** Slots `from` to `to` as stored (factors, then int8s), or null while one of them has none. */
    stored(from: number, to: number): Uint8Array | null {
      if (dimension === 0 || to === from) return null
      for (let slot = from; slot < to; slot++) if (Number.isNaN(factors[slot]!)) return null
      const n = to - from
      const bytes = new Uint8Array(n * (4 + dimension))
      bytes.set(new Uint8Array(factors.buffer, from * 4, n * 4))
      bytes.set(new Uint8Array(codes.buffer, from * dimension, n * dimension), n * 4)
      return bytes
    }
  }
}
