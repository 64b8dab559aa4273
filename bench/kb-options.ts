import { resolve } from 'node:path'
import { MIN_CANDIDATES, OVERSAMPLE } from '../src/main/knowledge/vector-index'
import { createCorpus } from './kb-corpus'

/**
 * `npm run bench:kb [-- --large] [-- --json] [-- --chunks N] [-- --candidates N] [-- --no-quality] [-- --partitioned] [-- --keep DIR]`:
 * the knowledge base at 10,000 and 100,000 chunks (and 1,000,000 with --large, or only N) of 768-dim vectors, on
 * disk with the app's pragmas, then the hybrid ranking's quality on a labelled set; --candidates overrides
 * MIN_CANDIDATES. --keep DIR keeps each size's database in DIR (kb-<chunks>.db) and reuses it on the next run instead
 * of building it again (minutes at a million): ingest is then not measured, nor the rebuild from vector rows (it
 * drops the code blocks); each run deletes one more node. Delete DIR when done.
 */
const flag = (name: string): number | null => {
  const at = process.argv.indexOf(name)
  return at > 0 ? Number(process.argv[at + 1]) : null
}

export const JSON_OUTPUT = process.argv.includes('--json')
const large = process.argv.includes('--large')
export const SIZES =
  flag('--chunks') !== null ? [flag('--chunks')!] : large ? [10_000, 100_000, 1_000_000] : [10_000, 100_000]
export const QUALITY = !process.argv.includes('--no-quality')
export const DIMENSION = 768
export const CHUNKS_PER_NODE = 10
export const TEXT_BATCH_NODES = 100
export const VECTOR_BATCH = 1000
export const CANDIDATES = flag('--candidates') ?? MIN_CANDIDATES
/** What the vector side of a top-10 search takes from the sign codes. */
export const SIGN_CANDIDATES = Math.max(CANDIDATES, 10 * OVERSAMPLE)
export const WARMUP = 10
/** Queries with every page from disk (the file put out of the page cache before each), per size. */
export const COLD_QUERIES = 20
/** The corpus's commonest word, as the table names it. */
export const COMMON_LABEL = createCorpus({ chunks: 1, dimension: 1, topics: 1, noise: 0 }).commonWord
/** --partitioned: the index partitions its codes from 50,000 (off in the app; README.md says why). */
export const PARTITIONED: { partitionFrom?: number } = process.argv.includes('--partitioned')
  ? { partitionFrom: 50_000 }
  : {}
export const KEEP = ((at) => (at > 0 ? resolve(process.argv[at + 1] ?? '.') : null))(process.argv.indexOf('--keep'))

/** A line of the table; --json prints one document at the end instead. */
export function print(line: string): void {
  if (!JSON_OUTPUT) process.stdout.write(`${line}\n`)
}
