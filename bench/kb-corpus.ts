import { mulberry32 } from '../src/main/knowledge/mulberry32'

/**
 * A synthetic corpus shaped like real embeddings: chunks gather around
 * topics (cluster centres), each topic has its own words, and a chunk's
 * vector is its topic's centre plus noise. Uniform random vectors would
 * make every neighbour equally far and recall meaningless. Every vector is
 * regenerated from its index, so a million of them need no memory.
 */
export interface CorpusShape {
  readonly chunks: number
  readonly dimension: number
  readonly topics: number
  /** Noise relative to the centre; 0.6 gives neighbours at cosine ≈ 0.7–0.9, as nomic-embed-text does. */
  readonly noise: number
}

export { mulberry32 }

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'su',
  'ta',
  'ri',
  'po',
  've',
  'da',
  'zu',
  'xi',
  'bo',
  'fe',
  'gu',
  'hi',
  'ja',
  'wu',
  'ye',
  'qo'
]

function word(n: number): string {
  let text = ''
  let rest = n
  do {
    text += SYLLABLES[rest % SYLLABLES.length]
    rest = Math.floor(rest / SYLLABLES.length)
  } while (rest > 0)
  return text
}

export interface Corpus {
  readonly shape: CorpusShape
  topicOf(index: number): number
  vector(index: number): Float32Array
  text(index: number): string
  /** The word most chunks hold (~80% of them), as "the" in English text. */
  readonly commonWord: string
  /** A query near chunk `index`: its vector with a little noise, and two of its topic's words. */
  query(index: number, seed: number): { vector: Float32Array; text: string }
}

export function createCorpus(shape: CorpusShape): Corpus {
  const random = mulberry32(7)
  const centres = Array.from({ length: shape.topics }, () =>
    normalize(Float32Array.from({ length: shape.dimension }, () => gaussian(random)))
  )
  const topicOf = (index: number): number => Math.floor(mulberry32(index * 2654435761)() * shape.topics)
  const noisy = (base: Float32Array, noise: number, random: () => number): Float32Array => {
    const scale = noise / Math.sqrt(shape.dimension)
    return normalize(base.map((v) => v + gaussian(random) * scale))
  }
  const topicWord = (topic: number, k: number): string => word(100_000 + topic * 20 + k)
  return {
    shape,
    commonWord: word(0),
    topicOf,
    vector: (index) => noisy(centres[topicOf(index)]!, shape.noise, mulberry32(index + 1)),
    text(index) {
      const random = mulberry32(index + 99)
      const topic = topicOf(index)
      const words: string[] = []
      for (let i = 0; i < 40; i++)
        words.push(
          random() < 0.3 ? topicWord(topic, Math.floor(random() * 20)) : word(Math.floor(5000 * random() ** 3))
        )
      return words.join(' ')
    },
    query(index, seed) {
      const random = mulberry32(seed)
      const topic = topicOf(index)
      const base = noisy(centres[topic]!, shape.noise, mulberry32(index + 1))
      return {
        vector: noisy(base, 0.3, random),
        text: `${topicWord(topic, Math.floor(random() * 20))} ${topicWord(topic, Math.floor(random() * 20))}`
      }
    }
  }
}

function normalize(vector: Float32Array): Float32Array {
  let sum = 0
  for (const v of vector) sum += v * v
  const norm = Math.sqrt(sum) || 1
  return vector.map((v) => v / norm)
}
