import type { TaskEvent } from '../../shared/contract/tasks-contract'
import type { Logger } from '../log/logger'
import { checkAnswer } from '../tasks/answer-check'
import type { LearningGap } from './learning-gaps'

/** A finished research task, as the filer reads it. */
export interface FinishedResearch {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly status: string
  readonly result: string | null
  readonly domain: string | null
  readonly expert: string | null
  /** metadata.source: only 'learning' tasks are filed. */
  readonly source: unknown
  /** metadata.gap: the kind of gap the task was filed for. */
  readonly gap: unknown
  readonly finishedAt: string
}

export interface LearnedDocument {
  readonly title: string
  readonly content: string
  readonly domain: string | undefined
  readonly source: string
}

export type LearningFiling =
  | { readonly state: 'filed'; readonly nodeId: string }
  | { readonly state: 'already_filed'; readonly nodeId: string }
  | { readonly state: 'not_filed'; readonly reason: string }
  | { readonly state: 'not_learning' }

/** Where a learned note comes from: the knowledge base's source of the note filed for research task `taskId`. */
export const LEARNED_SOURCE_PREFIX = 'learning:'
export const learnedSource = (taskId: string): string => `${LEARNED_SOURCE_PREFIX}${taskId}`

const RESEARCH_PREFIX = 'Research: '

const GAP_WORDS: Record<LearningGap['kind'], string> = {
  unanswered_question: 'a chat question answered without any knowledge-base source',
  search_without_result: 'a knowledge search that found nothing',
  failed_validation: 'a task answer the validator rejected',
  missing_domain: 'a domain of the expert with no document in the knowledge base'
}

/**
 * Files what a research ("curiosity") task learned into the knowledge base,
 * so the gap it was filed for closes: the note carries the task's domain
 * (a missing domain then has a document), its source names the task (the
 * generator finds the gap learned and does not file it again; the Team panel
 * links to it), and its footer says which expert learned it and which gap it
 * closes. An answer that is empty, repeats the task, is an error message or
 * failed its validation is not knowledge: it is logged and left out.
 */
export interface LearningResultsDeps {
  task: (id: string) => Promise<FinishedResearch | null>
  /** Why the validator rejected the task's result (its last verdict), or null when it did not. */
  validationFailure: (id: string) => Promise<string | null>
  /** The id of the note already filed from `source`, if any. */
  filedFrom: (source: string) => Promise<string | null>
  file: (doc: LearnedDocument) => Promise<string>
  expertName: (id: string) => Promise<string>
  minAnswerChars: () => number
  log: Logger
}

export function createLearningResults(deps: LearningResultsDeps) {
  const inFlight = new Map<string, Promise<LearningFiling>>()

  async function fileOnce(id: string): Promise<LearningFiling> {
    const task = await deps.task(id)
    if (!task || task.source !== 'learning' || task.expert === null) return { state: 'not_learning' }
    const source = learnedSource(id)
    const existing = await deps.filedFrom(source)
    if (existing !== null) return { state: 'already_filed', nodeId: existing }
    const refused = await refusal(task)
    if (refused !== null) {
      deps.log.info('learning result not filed', { task_id: id, expert: task.expert, reason: refused })
      return { state: 'not_filed', reason: refused }
    }
    const topic = task.title.startsWith(RESEARCH_PREFIX) ? task.title.slice(RESEARCH_PREFIX.length) : task.title
    const gap =
      typeof task.gap === 'string' && task.gap in GAP_WORDS ? GAP_WORDS[task.gap as LearningGap['kind']] : null
    const footer = [
      `Learned by ${await deps.expertName(task.expert)} (expert "${task.expert}") in research task ${id}, ${task.finishedAt}.`,
      task.domain ? `Domain: ${task.domain}.` : null,
      gap ? `Closes ${gap}: ${topic}.` : null
    ]
      .filter((line) => line !== null)
      .join(' ')
    const nodeId = await deps.file({
      title: topic.charAt(0).toUpperCase() + topic.slice(1),
      content: `${(task.result as string).trim()}\n\n---\n${footer}\n`,
      domain: task.domain ?? undefined,
      source
    })
    deps.log.info('learning result filed', { task_id: id, expert: task.expert, node_id: nodeId, gap: task.gap })
    return { state: 'filed', nodeId }
  }

  async function refusal(task: FinishedResearch): Promise<string | null> {
    if (task.status !== 'completed') return `the task is ${task.status.replace(/_/g, ' ')}, not completed`
    const verdict = checkAnswer(task.result ?? '', task, deps.minAnswerChars())
    if (!verdict.ok) return verdict.reason
    const failed = await deps.validationFailure(task.id)
    return failed === null ? null : `the validator rejected it: ${failed}`
  }

  /** Research tasks filed or found by this process, filed when they complete; older ones are swept by the generator. */
  const watched = new Set<string>()

  const completed = (id: string): Promise<LearningFiling> => {
    const running = inFlight.get(id)
    if (running) return running
    const filing = fileOnce(id).finally(() => inFlight.delete(id))
    inFlight.set(id, filing)
    return filing
  }

  return {
    /** Files the result of a research task that completed; anything else is left alone. One filing per task at a time. */
    completed,
    watch(id: string): void {
      watched.add(id)
    },
    /** The task engine's events: a watched task that completed is filed at once, one cancelled is forgotten. */
    taskEvents(events: readonly TaskEvent[]): void {
      for (const event of events) {
        if (!watched.has(event.taskId)) continue
        if (event.kind === 'cancelled') watched.delete(event.taskId)
        if (event.kind !== 'completed') continue
        watched.delete(event.taskId)
        completed(event.taskId).catch((error: unknown) =>
          deps.log.warn('learning result not filed', { task_id: event.taskId, error: (error as Error).message })
        )
      }
    }
  }
}

export type LearningResults = ReturnType<typeof createLearningResults>
