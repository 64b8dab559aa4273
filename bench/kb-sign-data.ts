import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signBits } from '../src/main/knowledge/sign-bits'
import { createCorpus, mulberry32, type Corpus } from './kb-corpus'

/**
 * The codes `bench:kb-sign` scans: the sign bits of `bench:kb`'s corpus (same
 * shape: a topic per 100 chunks, noise 0.6), and the exact top 10 by cosine
 * of the first `truthQueries` queries over every vector, to measure recall
 * against. Making them takes minutes at a million (each vector is drawn
 * from its index), so they are kept in the system's temporary folder and
 * reused while the corpus and the query seeds stay the same.
 */
export interface SignData {
  readonly chunks: number
  readonly words: number
  readonly corpus: Corpus
  readonly codes: Uint32Array
  /** The query with this number (the same sequence `bench:kb` draws from). */
  query(q: number): { vector: Float32Array; code: Uint32Array }
  /** The chunks nearest each of the first `truthQueries` queries by exact cosine, nearest first. */
  readonly truth: readonly Uint32Array[]
}

export const DIMENSION = 768
const K = 10
/** Bump when the corpus, the queries or this layout change: older files are then rebuilt. */
const FORMAT = 1

export function signData(chunks: number, truthQueries: number, progress: (line: string) => void): SignData {
  const words = DIMENSION / 32
  const corpus = createCorpus({ chunks, dimension: DIMENSION, topics: Math.max(100, chunks / 100), noise: 0.6 })
  const random = mulberry32(42)
  const targets: number[] = []
  const query = (q: number): { vector: Float32Array; code: Uint32Array } => {
    while (targets.length <= q) targets.push(Math.floor(random() * chunks))
    const vector = corpus.query(targets[q]!, 1000 + q).vector
    return { vector, code: signBits(vector) }
  }
  const file = join(tmpdir(), `kos-bench-kb-sign-v${FORMAT}-${chunks}x${DIMENSION}-q${truthQueries}.bin`)
  const codeBytes = chunks * words * 4
  const truthBytes = truthQueries * K * 4
  if (existsSync(file)) {
    const bytes = readFileSync(file)
    if (bytes.length === codeBytes + truthBytes) {
      const all = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
      const codes = all.slice(0, chunks * words)
      const truth = Array.from({ length: truthQueries }, (_, q) =>
        all.slice(chunks * words + q * K, chunks * words + (q + 1) * K)
      )
      return { chunks, words, corpus, codes, query, truth }
    }
  }
  const queries = Array.from({ length: truthQueries }, (_, q) => query(q).vector)
  const best = queries.map(() => ({ ids: new Uint32Array(K), scores: new Float64Array(K).fill(-Infinity) }))
  const codes = new Uint32Array(chunks * words)
  const started = performance.now()
  for (let i = 0; i < chunks; i++) {
    const vector = corpus.vector(i)
    codes.set(signBits(vector), i * words)
    for (let q = 0; q < truthQueries; q++) {
      const held = best[q]!
      const query = queries[q]!
      let dot = 0
      for (let d = 0; d < DIMENSION; d++) dot += query[d]! * vector[d]!
      if (dot <= held.scores[K - 1]!) continue
      // Insertion into the sorted top 10: a new entry is rare after the first thousands.
      let at = K - 1
      while (at > 0 && held.scores[at - 1]! < dot) {
        held.scores[at] = held.scores[at - 1]!
        held.ids[at] = held.ids[at - 1]!
        at--
      }
      held.scores[at] = dot
      held.ids[at] = i
    }
    if (i % 50_000 === 49_999)
      progress(
        `codes and exact top ${K}: ${i + 1} of ${chunks} (${((performance.now() - started) / 1000).toFixed(0)} s)`
      )
  }
  const truth = best.map((b) => b.ids)
  const out = new Uint32Array(chunks * words + truthQueries * K)
  out.set(codes)
  truth.forEach((ids, q) => out.set(ids, chunks * words + q * K))
  writeFileSync(`${file}.part`, out)
  renameSync(`${file}.part`, file)
  return { chunks, words, corpus, codes, query, truth }
}

/**
 * A corpus harder for short codes than bench:kb's: every vector shares one
 * direction (random pairs at cosine ~0.4, as real embeddings share a
 * component) and topics nest in 100 super-topics, so a query's neighbours
 * stand less far out of the crowd. Recall of a shorter first stage is
 * measured here: on bench:kb's corpus even 64-bit prefixes keep recall 0.999.
 */
export function harderCorpus(chunks: number): {
  codes: Uint32Array
  vectors: Float32Array
  query(seed: number): Float32Array
} {
  const random = mulberry32(3)
  const gaussian = (): number => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())
  const unit = (v: Float32Array): Float32Array => {
    let sum = 0
    for (const x of v) sum += x * x
    const norm = Math.sqrt(sum) || 1
    return v.map((x) => x / norm)
  }
  const shared = unit(Float32Array.from({ length: DIMENSION }, gaussian))
  const supers = Array.from({ length: 100 }, () => unit(Float32Array.from({ length: DIMENSION }, gaussian)))
  const topics = Array.from({ length: Math.max(100, chunks / 100) }, (_, t) =>
    unit(supers[t % 100]!.map((x) => x + 0.9 * gaussian()))
  )
  const words = DIMENSION / 32
  const vectors = new Float32Array(chunks * DIMENSION)
  const codes = new Uint32Array(chunks * words)
  const noise = 0.6 / Math.sqrt(DIMENSION)
  for (let i = 0; i < chunks; i++) {
    const topic = topics[Math.floor(random() * topics.length)]!
    const vector = unit(
      Float32Array.from({ length: DIMENSION }, (_, d) => 0.95 * shared[d]! + topic[d]! + noise * gaussian())
    )
    vectors.set(vector, i * DIMENSION)
    codes.set(signBits(vector), i * words)
  }
  return {
    codes,
    vectors,
    query(seed) {
      const near = mulberry32(seed)
      const base = Math.floor(near() * chunks) * DIMENSION
      return unit(
        Float32Array.from(
          { length: DIMENSION },
          (_, d) => vectors[base + d]! + (0.3 / Math.sqrt(DIMENSION)) * gaussian()
        )
      )
    }
  }
}
