import type { StepTests } from '../../shared/contract/workflows-contract'
import type { TestRunner, TestRunOutcome } from '../ports/result-validator'
import { codeFilesOf } from './code-files'
import { inScratchCopy, type WrittenFile } from './workspace-files'

const TEST_OUTPUT_CAP = 64 * 1024
const tail = (text: string, chars = 600): string => (text.length > chars ? `…${text.slice(-chars)}` : text)

/** What a code step's tests came to: the row for the decision log, what to send back, the files written to the copy. */
export interface CodeTestResult {
  readonly decision: string
  readonly reasons: string[]
  readonly problems: string[]
  readonly files: WrittenFile[]
}

const NO_FILES =
  'No artifact names a file, so there was nothing to test. Write each file whole as a fenced code block whose first line names its path in the project, e.g. ```ts path=src/add.ts'

function outcomeSummary(outcome: TestRunOutcome): string {
  if (!('exitCode' in outcome)) return `${outcome.status}: ${outcome.message}`
  const counts = outcome.passed !== null ? `, ${outcome.passed} passed, ${outcome.failed ?? 0} failed` : ''
  const coverage = outcome.coveragePercent !== null ? `, coverage ${outcome.coveragePercent}%` : ''
  return `${outcome.status}: exit ${outcome.exitCode}${counts}${coverage}`
}

/**
 * Writes the step's files into a scratch copy of its working folder and runs
 * its test command there, so the tests test what the coder wrote and the
 * person's folder stays as it was. A refused path or a folder that cannot be
 * copied is sent back with why, and nothing runs.
 */
export async function testCodeInScratch(input: {
  readonly runner: TestRunner
  readonly tests: StepTests
  readonly folder: string
  readonly artifacts: readonly string[]
  readonly taskId: string
  readonly runId: string
}): Promise<CodeTestResult> {
  const { tests } = input
  const parsed = codeFilesOf(input.artifacts)
  const refused = (problems: string[]): CodeTestResult => ({
    decision: 'refused',
    reasons: problems,
    problems,
    files: []
  })
  if (parsed.problems.length) return refused(parsed.problems)
  if (parsed.files.length === 0) return refused([NO_FILES])
  const ran = await inScratchCopy(input.folder, parsed.files, async (scratch, files) => ({
    files,
    outcome: await input.runner.run({
      command: tests.command,
      cwd: scratch,
      copyOf: input.folder,
      timeoutMs: tests.timeoutSec * 1000,
      outputCapBytes: TEST_OUTPUT_CAP,
      taskId: input.taskId,
      runId: input.runId,
      ...(tests.minCoveragePercent !== undefined ? { minCoveragePercent: tests.minCoveragePercent } : {})
    })
  }))
  if (!ran.ok) return refused([ran.message])
  const { outcome, files } = ran.value
  const summary = outcomeSummary(outcome)
  const written = `${files.length} file${files.length === 1 ? '' : 's'} (${files.map((f) => f.path).join(', ')}) on a copy of ${input.folder}`
  return {
    decision: outcome.status,
    reasons: [`${tests.command} → ${summary}`, written],
    problems:
      outcome.status === 'passed'
        ? []
        : [
            `The tests (${tests.command}) ${summary}, with your files on a copy of the project. Output:\n${tail(outcome.output)}`
          ],
    files
  }
}
