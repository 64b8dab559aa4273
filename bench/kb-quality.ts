import type { Db } from '../src/main/db/database'
import { convexFusion } from '../src/main/knowledge/convex-fusion'
import { buildFtsQuery, type RussianMorphology } from '../src/main/knowledge/fts-query'
import { inProcessSources } from './kb-io'
import { DEFAULT_FUSION, DEFAULT_MORPHOLOGY, hybridSearch, type Fusion } from '../src/main/knowledge/hybrid-search'
import type { KnowledgeStore } from '../src/main/knowledge/knowledge-store'
import { reciprocalRankFusion } from '../src/main/knowledge/rrf'
import type { Collection, VectorIndex } from '../src/main/knowledge/vector-index'
import { mulberry32 } from './kb-corpus'

/**
 * A labelled set planted in a synthetic background: for each word family a
 * query (an inflected form), and documents known to be relevant because they
 * share its words (another form of the word; their vectors point elsewhere,
 * as if the embedding model missed them), its meaning (a synonym, a vector
 * near the query's), or both; plus decoys that share only the first letters
 * ("база" / "базар") or a loose direction. Recall@10 is the share of a
 * family's relevant documents (nine: three of each kind) in the fused top 10,
 * so a fusion scores 1 only if it takes the best of both sides.
 */
interface Family {
  readonly lang: 'ru' | 'en'
  readonly forms: readonly string[]
  readonly synonyms: readonly string[]
  readonly decoys: readonly string[]
}

const FAMILIES: readonly Family[] = [
  {
    lang: 'ru',
    forms: ['база', 'базы', 'базой', 'базе', 'базу'],
    synonyms: ['хранилище', 'архив'],
    decoys: ['базар', 'базара', 'базальт']
  },
  {
    lang: 'ru',
    forms: ['мост', 'моста', 'мостом', 'мосты'],
    synonyms: ['переправа', 'виадук'],
    decoys: ['москва', 'москвы', 'мостовая']
  },
  {
    lang: 'ru',
    forms: ['вода', 'воды', 'водой', 'воду'],
    synonyms: ['влага', 'жидкость'],
    decoys: ['водитель', 'водителя', 'водка']
  },
  {
    lang: 'ru',
    forms: ['лиса', 'лисы', 'лисой', 'лису'],
    synonyms: ['хищница', 'зверь'],
    decoys: ['лист', 'листва', 'лиственница']
  },
  {
    lang: 'ru',
    forms: ['рука', 'руки', 'рукой', 'руку'],
    synonyms: ['ладонь', 'кисть'],
    decoys: ['руководство', 'руководитель']
  },
  {
    lang: 'ru',
    forms: ['стол', 'стола', 'столом', 'столы'],
    synonyms: ['парта', 'верстак'],
    decoys: ['столица', 'стоимость', 'столб']
  },
  {
    lang: 'ru',
    forms: ['банк', 'банка', 'банком', 'банки'],
    synonyms: ['кредитор', 'казначейство'],
    decoys: ['банан', 'бананы', 'баня']
  },
  {
    lang: 'ru',
    forms: ['сервер', 'сервера', 'серверов', 'сервером'],
    synonyms: ['узел', 'хост'],
    decoys: ['сервис', 'сервиз', 'сервировка']
  },
  {
    lang: 'ru',
    forms: ['задача', 'задачи', 'задачей', 'задачу'],
    synonyms: ['поручение', 'работа'],
    decoys: ['задаток', 'задание', 'задвижка']
  },
  {
    lang: 'ru',
    forms: ['копия', 'копии', 'копией', 'копию'],
    synonyms: ['дубликат', 'снимок'],
    decoys: ['копейка', 'копыто', 'копьё']
  },
  { lang: 'en', forms: ['backup', 'backups'], synonyms: ['snapshot', 'replica'], decoys: ['background', 'backlog'] },
  {
    lang: 'en',
    forms: ['invoice', 'invoices', 'invoicing'],
    synonyms: ['bill', 'receipt'],
    decoys: ['invoke', 'involve']
  },
  {
    lang: 'en',
    forms: ['deploy', 'deploying', 'deployed'],
    synonyms: ['release', 'rollout'],
    decoys: ['deposit', 'depot']
  },
  {
    lang: 'en',
    forms: ['schedule', 'schedules', 'scheduled'],
    synonyms: ['calendar', 'timetable'],
    decoys: ['scheme', 'scholar']
  }
]

/** Per family: documents of each relevant kind, and of each decoy kind. */
const PER_KIND = 3
const QUERIES_PER_FAMILY = 3

export interface QualityKit {
  readonly db: Db
  readonly store: KnowledgeStore
  readonly index: VectorIndex
  readonly collection: Collection
  readonly dimension: number
  /** Meaningless filler words, as the background corpus uses. */
  filler(random: () => number): string
  /** The vector of an unrelated background chunk. */
  elsewhere(random: () => number): Float32Array
}

export interface QualityRow {
  readonly morphology: RussianMorphology
  readonly fusion: string
  readonly recall: { all: number; ru: number; en: number }
}

export interface QualityReport {
  readonly queries: number
  readonly rows: QualityRow[]
  /** Recall of the app's own hybridSearch, with its defaults. */
  readonly app: { morphology: RussianMorphology; fusion: Fusion; recall: number }
}

export async function measureQuality(kit: QualityKit): Promise<QualityReport> {
  const { db, store, index, collection, dimension } = kit
  const random = mulberry32(2023)
  const gaussian = (): number => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())
  const unit = (v: Float32Array): Float32Array => {
    const norm = Math.hypot(...v) || 1
    return v.map((x) => x / norm)
  }
  const near = (centre: Float32Array, noise: number): Float32Array =>
    unit(centre.map((x) => x + (gaussian() * noise) / Math.sqrt(dimension)))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const sentence = (word: string): string => `${kit.filler(random)} ${word} ${kit.filler(random)}`

  const chunkOf = db.prepare('SELECT id FROM knowledge_chunks WHERE node_id = ?').pluck()

  const relevant = new Map<number, Set<string>>()
  const centres = FAMILIES.map(() => unit(Float32Array.from({ length: dimension }, gaussian)))
  db.transaction(() => {
    FAMILIES.forEach((family, f) => {
      const rel = new Set<string>()
      relevant.set(f, rel)
      const plant = (text: string, vector: Float32Array, isRelevant: boolean): void => {
        const node = store.insert({ title: `labelled ${f}`, content: text, domain: null, source: null }, [
          { text, tokens: 20 }
        ])
        const chunkId = chunkOf.get(node.id) as number
        index.put(collection, [{ chunkId, vector }])
        if (isRelevant) rel.add(node.id)
      }
      for (let i = 0; i < PER_KIND; i++) {
        plant(sentence(pick(family.forms)), kit.elsewhere(random), true) // words only
        plant(sentence(pick(family.synonyms)), near(centres[f]!, 0.8), true) // meaning only
        plant(sentence(`${pick(family.forms)} ${pick(family.synonyms)}`), near(centres[f]!, 0.8), true) // both
        plant(sentence(`${pick(family.decoys)} ${pick(family.decoys)}`), kit.elsewhere(random), false) // shares letters only
        plant(sentence(kit.filler(random)), near(centres[f]!, 1.2), false) // a loose direction only
      }
    })
  })()

  const nodeOfChunk = db.prepare('SELECT node_id FROM knowledge_chunks WHERE id = ?').pluck()
  const lexicalList = (query: string, morphology: RussianMorphology): { key: string; score: number }[] => {
    const fts = buildFtsQuery(query, morphology)
    if (!fts.match) return []
    return firstPerKey(
      store
        .lexical(fts.match, 50, {})
        .map((h) => ({ key: h.nodeId ?? (nodeOfChunk.get(h.chunkId) as string), score: h.bm25 }))
    )
  }
  const vectorList = (vector: Float32Array): { key: string; score: number }[] =>
    firstPerKey(
      index
        .nearest(collection, vector, 30)
        .map((h) => ({ key: nodeOfChunk.get(h.chunkId) as string, score: h.similarity }))
    )

  const fusions: Record<
    string,
    (lex: { key: string; score: number }[], vec: { key: string; score: number }[]) => string[]
  > = {
    rrf: (lex, vec) => reciprocalRankFusion([lex.map((h) => h.key), vec.map((h) => h.key)]).map((f) => f.key),
    'minmax α=0.5': (lex, vec) => convexFusion(lex, vec, 0.5, 'observed').map((f) => f.key),
    'tm2c2 α=0.3': (lex, vec) => convexFusion(lex, vec, 0.3).map((f) => f.key),
    'tm2c2 α=0.5': (lex, vec) => convexFusion(lex, vec, 0.5).map((f) => f.key),
    'tm2c2 α=0.7': (lex, vec) => convexFusion(lex, vec, 0.7).map((f) => f.key)
  }
  const queries = FAMILIES.flatMap((family, f) =>
    Array.from({ length: QUERIES_PER_FAMILY }, () => ({
      f,
      lang: family.lang,
      text: `${pick(family.forms)} ${kit.filler(random).split(' ')[0]}`,
      vector: near(centres[f]!, 0.3)
    }))
  )
  const recallOf = (top: readonly string[], f: number): number =>
    top.slice(0, 10).filter((key) => relevant.get(f)!.has(key)).length / Math.min(10, relevant.get(f)!.size)
  const mean = (values: number[]): number =>
    Number((values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)).toFixed(3))

  const rows: QualityRow[] = []
  for (const morphology of ['prefix', 'snowball'] as const) {
    for (const [name, fuse] of Object.entries(fusions)) {
      const scored = queries.map((q) => ({
        lang: q.lang,
        recall: recallOf(fuse(lexicalList(q.text, morphology), vectorList(q.vector)), q.f)
      }))
      rows.push({
        morphology,
        fusion: name,
        recall: {
          all: mean(scored.map((s) => s.recall)),
          ru: mean(scored.filter((s) => s.lang === 'ru').map((s) => s.recall)),
          en: mean(scored.filter((s) => s.lang === 'en').map((s) => s.recall))
        }
      })
    }
  }
  const sources = inProcessSources(db, store, index)
  const app: number[] = []
  for (const q of queries) {
    const found = await hybridSearch(
      sources,
      { query: q.text, topK: 10, minSimilarity: 0 },
      { kind: 'on', collection, vector: q.vector }
    )
    app.push(
      recallOf(
        found.hits.map((h) => h.node.id),
        q.f
      )
    )
  }
  return {
    queries: queries.length,
    rows,
    app: { morphology: DEFAULT_MORPHOLOGY, fusion: DEFAULT_FUSION, recall: mean(app) }
  }
}

function firstPerKey(hits: readonly { key: string; score: number }[]): { key: string; score: number }[] {
  const seen = new Set<string>()
  return hits.filter((h) => !seen.has(h.key) && seen.add(h.key))
}
