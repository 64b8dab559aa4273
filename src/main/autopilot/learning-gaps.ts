import type { Db } from '../db/database'
import { createSearchMisses } from './search-misses'

/** Something an expert was asked, or is responsible for, that the knowledge base could not back. */
export type LearningGap =
  | { readonly kind: 'unanswered_question'; readonly expert: string; readonly question: string }
  | {
      readonly kind: 'failed_validation'
      readonly expert: string
      readonly taskTitle: string
      readonly domain: string | null
    }
  | { readonly kind: 'missing_domain'; readonly expert: string; readonly domain: string }
  | {
      readonly kind: 'search_without_result'
      readonly expert: string
      readonly query: string
      readonly domain: string | null
      readonly misses: number
    }

export interface GapSource {
  /** Gaps seen since `sinceMs`, newest first; `domainsOf` lists each expert's domains for the knowledge-base check. */
  gaps(sinceMs: number, experts: readonly { id: string; domains: readonly string[] }[]): LearningGap[]
  /** Learning tasks filed for the expert since `sinceMs`. */
  filedSince(expert: string, sinceMs: number): number
  /** Whether the expert already learned this research task: one with its title completed and its note is in the knowledge base. */
  learned(expert: string, title: string): boolean
  /** The expert's learning tasks completed since `sinceMs` whose result has no note yet (filed before a restart, or refused). */
  unfiled(expert: string, sinceMs: number): string[]
}

const PER_KIND = 50

/**
 * The gaps the app can see in its own records: chat answers given with no
 * knowledge source behind them (cache hits excluded), task answers the
 * validator rejected, and domains of an expert with no document in the
 * knowledge base, and knowledge searches that found nothing (search-misses.ts).
 * A search belongs to the expert of the domain it was filtered by, else to the
 * expert whose domain it names; one that names none is nobody's gap.
 */
export function createGapSource(db: Db): GapSource {
  const unanswered =
    db.prepare(`SELECT a.expert_id AS expert, q.content AS question FROM chat_messages a JOIN chat_messages q ON q.id = a.reply_to
    WHERE a.role = 'assistant' AND a.status = 'complete' AND a.sources = '[]' AND a.expert_id IS NOT NULL
      AND (a.route IS NULL OR a.route != 'cache') AND a.created_at >= ?
    ORDER BY a.created_at DESC LIMIT ${PER_KIND}`)
  const rejected = db.prepare(`SELECT assignee_expert AS expert, title, domain FROM tasks
    WHERE error_type = 'validation_failed' AND assignee_expert IS NOT NULL AND updated_at >= ?
      AND json_extract(metadata, '$.source') IS NOT 'learning'
    ORDER BY updated_at DESC LIMIT ${PER_KIND}`)
  const misses = createSearchMisses(db)
  const hasDomain = db.prepare('SELECT 1 FROM knowledge_nodes WHERE domain = ? LIMIT 1')
  const filed = db.prepare(`SELECT count(*) AS n FROM tasks INDEXED BY tasks_expert
    WHERE assignee_expert = ? AND created_at >= ? AND json_extract(metadata, '$.source') = 'learning'`)
  // A learned note's source is `learning:<task id>` (learning-results.ts).
  const learned = db.prepare(`SELECT 1 FROM tasks t INDEXED BY tasks_expert
    JOIN knowledge_nodes k ON k.source = 'learning:' || t.id
    WHERE t.assignee_expert = ? AND t.title = ? AND t.status = 'completed' LIMIT 1`)
  const unfiled = db.prepare(`SELECT t.id FROM tasks t INDEXED BY tasks_expert
    WHERE t.assignee_expert = ? AND t.created_at >= ? AND t.status = 'completed' AND json_extract(t.metadata, '$.source') = 'learning'
      AND NOT EXISTS (SELECT 1 FROM knowledge_nodes k WHERE k.source = 'learning:' || t.id)
    ORDER BY t.created_at LIMIT ${PER_KIND}`)
  return {
    gaps(sinceMs, experts) {
      const found: LearningGap[] = []
      for (const row of unanswered.all(new Date(sinceMs).toISOString()) as { expert: string; question: string }[]) {
        found.push({ kind: 'unanswered_question', expert: row.expert, question: row.question })
      }
      for (const row of rejected.all(sinceMs) as { expert: string; title: string; domain: string | null }[]) {
        found.push({ kind: 'failed_validation', expert: row.expert, taskTitle: row.title, domain: row.domain })
      }
      for (const miss of misses.since(sinceMs, PER_KIND)) {
        const expert = ownerOf(miss.query, miss.domain, experts)
        if (expert) found.push({ kind: 'search_without_result', expert, ...miss })
      }
      for (const expert of experts) {
        for (const domain of expert.domains)
          if (!hasDomain.get(domain)) found.push({ kind: 'missing_domain', expert: expert.id, domain })
      }
      return found
    },
    filedSince: (expert, sinceMs) => (filed.get(expert, sinceMs) as { n: number }).n,
    learned: (expert, title) => learned.get(expert, title) !== undefined,
    unfiled: (expert, sinceMs) => unfiled.pluck().all(expert, sinceMs) as string[]
  }
}

function ownerOf(query: string, domain: string | null, experts: readonly { id: string; domains: readonly string[] }[]) {
  if (domain !== null) return experts.find((e) => e.domains.includes(domain))?.id ?? null
  const words = new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u))
  return experts.find((e) => e.domains.some((d) => words.has(d.toLowerCase())))?.id ?? null
}
