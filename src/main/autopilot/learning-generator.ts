import type { Logger } from '../log/logger'
import type { GapSource, LearningGap } from './learning-gaps'

export interface LearningExpert {
  readonly id: string
  readonly name: string
  readonly domains: readonly string[]
  readonly lead: boolean
}

export interface ResearchTask {
  readonly title: string
  readonly description: string
  readonly domain: string | null
  readonly assigneeExpert: string
  readonly metadata: Record<string, unknown>
}

/** Files a research task; `duplicate` when the same task went to the same expert within the dedup window. */
export type FileResearch = (
  task: ResearchTask
) => Promise<{ readonly filed: true; readonly id: string } | { readonly filed: false; readonly duplicateOf: string }>

export interface LearningSettings {
  readonly enabled: boolean
  readonly perExpertPerDay: number
}

export type LearningOutcome =
  | { readonly state: 'off' }
  | { readonly state: 'skipped'; readonly reason: string }
  | {
      readonly state: 'ran'
      readonly filed: readonly { id: string; expert: string; title: string }[]
      readonly duplicates: number
      readonly capped: number
      /** Gaps skipped because the expert already learned them (the note is in the knowledge base). */
      readonly learned: number
    }

const DAY_MS = 24 * 60 * 60 * 1000
/** How far back a run looks for gaps. */
const LOOKBACK_MS = 7 * DAY_MS
const QUESTION_CHARS = 160

/**
 * Proposes research ("curiosity") tasks per expert from the gaps the app
 * sees. It checks the model servers first and files nothing while none is
 * up: the operators' lesson was that learning work started against a dead
 * server only piles up timeouts. At most `perExpertPerDay` per expert in any
 * 24 hours; the task queue's own 30-day dedup (same title, description and
 * expert) refuses a repeat, logged as skipped.
 */
export function createLearningGenerator(deps: {
  gaps: GapSource
  experts: () => Promise<readonly LearningExpert[]>
  /** Why no model server can take work now, or null when one can. */
  modelsDown: () => Promise<string | null>
  file: FileResearch
  /** Files the note of a completed learning task that has none yet (learning-results.ts). */
  fileLearned: (taskId: string) => Promise<unknown>
  settings: () => LearningSettings
  now: () => number
  log: Logger
}) {
  return {
    async run(): Promise<LearningOutcome> {
      const settings = deps.settings()
      if (!settings.enabled) return { state: 'off' }
      const down = await deps.modelsDown()
      if (down !== null) {
        deps.log.info('learning tasks skipped: model servers are down', { reason: down })
        return { state: 'skipped', reason: down }
      }
      const now = deps.now()
      const experts = (await deps.experts()).filter((e) => !e.lead)
      // What was learned but not filed (a restart between the answer and its note) is filed first, so its gap reads closed.
      for (const expert of experts)
        for (const id of deps.gaps.unfiled(expert.id, now - LOOKBACK_MS)) await deps.fileLearned(id)
      const byId = new Map(experts.map((e) => [e.id, e]))
      const gaps = deps.gaps.gaps(now - LOOKBACK_MS, experts).filter((g) => byId.has(g.expert))
      const filed: { id: string; expert: string; title: string }[] = []
      let duplicates = 0
      let capped = 0
      let learned = 0
      const room = new Map(
        experts.map((e) => [e.id, Math.max(0, settings.perExpertPerDay - deps.gaps.filedSince(e.id, now - DAY_MS))])
      )
      for (const gap of gaps) {
        const task = researchTaskFor(gap, byId.get(gap.expert) as LearningExpert)
        if (deps.gaps.learned(gap.expert, task.title)) {
          learned++
          continue
        }
        const left = room.get(gap.expert) ?? 0
        if (left === 0) {
          capped++
          continue
        }
        const outcome = await deps.file(task)
        if (!outcome.filed) {
          duplicates++
          deps.log.info('learning task skipped: same research task for this expert in the last 30 days', {
            expert: gap.expert,
            title: task.title,
            existing: outcome.duplicateOf
          })
          continue
        }
        room.set(gap.expert, left - 1)
        filed.push({ id: outcome.id, expert: gap.expert, title: task.title })
      }
      if (filed.length > 0 || capped > 0)
        deps.log.info('learning tasks', { filed: filed.length, duplicates, capped, learned })
      return { state: 'ran', filed, duplicates, capped, learned }
    }
  }
}

/** The task for a gap. Its words depend only on the gap, so the same gap gives the same task and the queue's dedup holds. */
export function researchTaskFor(gap: LearningGap, expert: LearningExpert): ResearchTask {
  const base = { assigneeExpert: expert.id, metadata: { source: 'learning', gap: gap.kind } }
  const ask =
    'Write a reference note the knowledge base can keep: the key facts and definitions, how they apply to our work, and what remains uncertain.'
  switch (gap.kind) {
    case 'unanswered_question': {
      const question = gap.question.replace(/\s+/g, ' ').trim().slice(0, QUESTION_CHARS)
      return {
        ...base,
        domain: expert.domains[0] ?? null,
        title: `Research: ${question}`,
        description: `${expert.name} answered this question in chat without any knowledge-base source behind the answer:\n\n"${question}"\n\n${ask}`
      }
    }
    case 'failed_validation':
      return {
        ...base,
        domain: gap.domain,
        title: `Research: what a good answer to "${gap.taskTitle.slice(0, QUESTION_CHARS)}" needs`,
        description: `An answer by ${expert.name} to the task "${gap.taskTitle}" was rejected by validation. Find what the subject requires that the answer lacked. ${ask}`
      }
    case 'search_without_result': {
      const query = gap.query.slice(0, QUESTION_CHARS)
      const where = gap.domain ? ` in the domain "${gap.domain}"` : ''
      return {
        ...base,
        domain: gap.domain ?? expert.domains[0] ?? null,
        title: `Research: ${query}`,
        description: `A search of the knowledge base${where} for "${query}" found nothing. ${ask}`
      }
    }
    case 'missing_domain':
      return {
        ...base,
        domain: gap.domain,
        title: `Research: foundations of ${gap.domain}`,
        description: `${expert.name} covers the domain "${gap.domain}", and the knowledge base holds no document in it yet. ${ask}`
      }
  }
}
