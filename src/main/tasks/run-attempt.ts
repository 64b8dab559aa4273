import { ProcessingError, type ProcessingPlan, type TaskProcessor } from '../ports/task-processor'
import { checkAnswer } from './answer-check'
import { classify, type Outcome, type TaskRun } from './task-run'

// A model found ready is taken as ready for this long: it stays loaded for minutes (keep-alive), and asking before every quick task costs more than the task.
const READY_FOR_MS = 5_000

/** The settings an attempt reads, as they are when it starts. */
export interface AttemptSettings {
  readonly requestTimeoutMs: number
  readonly minAnswerChars: number
  readonly minValidatorScore: number
}

/**
 * One attempt carried out: the model made ready first if it was not lately
 * (so a cold load does not count against the request), the processor asked,
 * and its answer judged (the answer check, then the validator's score if the
 * processor has one). `end` is told the outcome once; a run ended meanwhile
 * (timed out, cancelled) is not judged.
 */
export function createRunAttempts(now: () => number) {
  /** When each backend's models were last found ready, per model: until then no task waits on ensureReady. */
  const readyUntil = new Map<string, Map<string, number>>()

  const isReady = (plan: ProcessingPlan, at: number): boolean =>
    (readyUntil.get(plan.backend)?.get(plan.model) ?? 0) > at

  async function readyThenProcess(active: TaskProcessor, run: TaskRun): Promise<string> {
    await active.ensureReady(run.plan, run)
    let models = readyUntil.get(run.plan.backend)
    if (!models) readyUntil.set(run.plan.backend, (models = new Map()))
    models.set(run.plan.model, now() + READY_FOR_MS)
    if (run.ended) return ''
    return active.process(run.task, run.plan, run)
  }

  function judge(
    run: TaskRun,
    active: TaskProcessor,
    answer: string,
    settings: AttemptSettings,
    end: (run: TaskRun, outcome: Outcome) => void
  ): void {
    if (run.ended) return
    const verdict = checkAnswer(answer, run.row, settings.minAnswerChars)
    if (!verdict.ok) return end(run, { ok: false, type: verdict.type, message: verdict.reason })
    if (!active.score) return end(run, { ok: true, answer })
    const min = settings.minValidatorScore
    active.score(run.task, answer, run.signal).then(
      (score) =>
        end(
          run,
          score >= min
            ? { ok: true, answer }
            : {
                ok: false,
                type: 'validation_failed',
                message: `the validator scored the answer ${score.toFixed(2)}, under ${min}`
              }
        ),
      (error: unknown) => end(run, classify(error, run, settings.requestTimeoutMs))
    )
  }

  return function attempt(
    active: TaskProcessor | null,
    run: TaskRun,
    settings: AttemptSettings,
    end: (run: TaskRun, outcome: Outcome) => void
  ): void {
    let answered: Promise<string>
    try {
      if (!active) throw new ProcessingError('connection_error', 'no model backend is connected')
      answered = isReady(run.plan, run.startedAt)
        ? active.process(run.task, run.plan, run)
        : readyThenProcess(active, run)
    } catch (error) {
      answered = Promise.reject(error as Error)
    }
    answered.then(
      (answer) => judge(run, active as TaskProcessor, answer, settings, end),
      (error: unknown) => end(run, classify(error, run, settings.requestTimeoutMs))
    )
  }
}
