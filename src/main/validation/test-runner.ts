import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { TestRunner, TestRunOutcome, TestRunRequest } from '../ports/result-validator'
import { splitCommand } from './command-line'
import { parseCoverage, parseTests } from './test-output'
import type { TestRunStore } from './test-run-store'

/** Where test tools write JUnit XML when asked to; read when written during the run. */
const JUNIT_FILES = ['junit.xml', 'test-results.xml', 'reports/junit.xml', 'test-results/junit.xml']
const JUNIT_MAX_BYTES = 5 * 1024 * 1024

/** The child's whole environment: enough to find its tools, nothing of ours (no API keys, tokens or data dir). */
export function cleanEnv(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = (name: string): Record<string, string> => (parent[name] ? { [name]: parent[name] as string } : {})
  return {
    ...keep('PATH'),
    ...keep('HOME'),
    ...keep('TMPDIR'),
    ...keep('SYSTEMROOT'),
    LANG: 'C.UTF-8',
    CI: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    TERM: 'dumb'
  }
}

/** The head and the tail of the output within `cap` bytes: the failures come first, the summary last. */
function capturer(cap: number) {
  const half = Math.floor(cap / 2)
  let head = Buffer.alloc(0)
  let tail = Buffer.alloc(0)
  let total = 0
  return {
    add(chunk: Buffer): void {
      total += chunk.length
      if (head.length < half) {
        const room = half - head.length
        head = Buffer.concat([head, chunk.subarray(0, room)])
        chunk = chunk.subarray(room)
      }
      if (chunk.length > 0) tail = Buffer.concat([tail, chunk]).subarray(-(cap - half))
    },
    text(): string {
      const dropped = total - head.length - tail.length
      return dropped > 0
        ? `${head.toString('utf8')}\n[… ${dropped} bytes of output left out: the output cap is ${cap} bytes …]\n${tail.toString('utf8')}`
        : Buffer.concat([head, tail]).toString('utf8')
    }
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    // The whole process group: test runners fork workers that would outlive their parent.
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

function junitWritten(cwd: string, since: number): string[] {
  const found: string[] = []
  for (const name of JUNIT_FILES) {
    try {
      const file = join(cwd, name)
      const stat = statSync(file)
      if (stat.mtimeMs >= since - 1000 && stat.size <= JUNIT_MAX_BYTES) found.push(readFileSync(file, 'utf8'))
    } catch {
      // Not written by this tool.
    }
  }
  return found
}

/**
 * Runs a step's declared test command: its own process group in the
 * working folder, a clean environment, a timeout that kills the whole group,
 * and an output cap; then reads the outcome (JUnit XML, TAP, the summary line,
 * else the exit code) and the coverage where reported.
 */
export function createTestRunner(deps: {
  readonly store: TestRunStore | null
  readonly env?: NodeJS.ProcessEnv
}): TestRunner {
  const env = cleanEnv(deps.env ?? process.env)

  function execute(request: TestRunRequest): Promise<TestRunOutcome> {
    const started = performance.now()
    const startedWall = Date.now()
    const took = (): number => performance.now() - started
    const split = splitCommand(request.command)
    if (!split.ok)
      return Promise.resolve({ status: 'could_not_start', message: split.message, output: '', durationMs: 0 })
    try {
      if (!statSync(request.cwd).isDirectory()) throw new Error('not a folder')
    } catch {
      return Promise.resolve({
        status: 'could_not_start',
        message: `The working folder "${request.cwd}" does not exist or is not a folder; declare the project's folder.`,
        output: '',
        durationMs: 0
      })
    }
    const [program, ...args] = split.argv as [string, ...string[]]
    const output = capturer(request.outputCapBytes)
    return new Promise((resolve) => {
      let settled = false
      let timedOut = false
      const child = spawn(program, args, { cwd: request.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      const timer = setTimeout(() => {
        timedOut = true
        killGroup(child.pid)
      }, request.timeoutMs)
      const finish = (outcome: TestRunOutcome): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(outcome)
      }
      child.stdout.on('data', (chunk: Buffer) => output.add(chunk))
      child.stderr.on('data', (chunk: Buffer) => output.add(chunk))
      child.stdout.on('error', () => undefined)
      child.stderr.on('error', () => undefined)
      child.on('error', (error: NodeJS.ErrnoException) =>
        finish({
          status: 'could_not_start',
          message:
            error.code === 'ENOENT'
              ? `"${program}" was not found on the PATH of the test run; install it or declare the full path.`
              : `"${program}" could not be started: ${error.message}`,
          output: output.text(),
          durationMs: took()
        })
      )
      child.on('close', (code, signal) => {
        // A runner that exits on its own may leave forked workers behind; they go with it.
        killGroup(child.pid)
        const text = output.text()
        if (timedOut)
          return finish({
            status: 'timed_out',
            message: `"${request.command}" did not finish within ${request.timeoutMs / 1000} s; its processes were killed.`,
            output: text,
            durationMs: took()
          })
        const exitCode = code ?? (signal ? 128 : 1)
        const parsed = parseTests(text, junitWritten(request.cwd, startedWall))
        const coverage = parseCoverage(text)
        const belowCoverage =
          request.minCoveragePercent !== undefined && coverage !== null && coverage < request.minCoveragePercent
        const failed = exitCode !== 0 || (parsed.failed ?? 0) > 0 || belowCoverage
        finish({
          status: failed ? 'failed' : 'passed',
          exitCode,
          passed: parsed.passed,
          failed: parsed.failed,
          coveragePercent: coverage,
          format: parsed.format,
          output: belowCoverage
            ? `${text}\n[coverage ${coverage}% is under the required ${request.minCoveragePercent}%]`
            : text,
          durationMs: took()
        })
      })
    })
  }

  return {
    async run(request) {
      const outcome = await execute(request)
      deps.store?.record(request, outcome)
      return outcome
    }
  }
}
