import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()

// Tested with --json on their own: serve in cli-json.test.ts, soak (it needs a model server and minutes) in
// soak.test.ts. `kos mcp` is left out: its stdout is the MCP protocol, a stream of messages by design.
const ELSEWHERE = new Set(['serve', 'soak', 'mcp'])

interface Doc {
  readonly code: number
  readonly doc: unknown
}

/** Runs a command with --json and parses its whole stdout as one document, as a script would. */
async function json(argv: readonly string[]): Promise<Doc> {
  const { code, out } = await runKosInProcess([...argv, '--json'])
  const text = out.join('\n')
  try {
    return { code, doc: JSON.parse(text) }
  } catch {
    throw new Error(`kos ${argv.join(' ')} --json printed more or less than one JSON document:\n${text}`)
  }
}

/** The top-level commands `kos --help` lists, the command table a user reads. */
async function helpCommands(): Promise<string[]> {
  const { doc } = await json(['--help'])
  const usage = (doc as { usage: string }).usage
  return [...new Set([...usage.matchAll(/^ {2}kos ([a-z]+)/gm)].map((m) => m[1] as string))]
}

/** Every command of the table with --json on one data dir; returns the commands it ran. */
async function everyCommand(dir: string, docs: string): Promise<Set<string>> {
  const d = ['--data-dir', dir]
  const ran = new Set<string>()
  const run = async (argv: string[], codes: readonly number[] = [0]): Promise<unknown> => {
    const { code, doc } = await json([...argv, ...d])
    ran.add(argv[0] as string)
    expect({ argv, code }).toEqual({ argv, code: expect.toBeOneOf([...codes]) })
    if (code !== 0 && argv[0] !== 'checklist') expect(doc).toMatchObject({ error: { message: expect.any(String) } })
    return doc
  }

  expect(await run(['status'])).toMatchObject({ dataDir: dir })
  expect(await run(['config', 'show'])).toMatchObject({ settings: expect.any(Array) })
  // Unhealthy (exit 1) with no model server, and still the report.
  expect(await run(['checklist', 'run'], [0, 1])).toMatchObject({ verdict: expect.any(String) })
  expect(await run(['export', '--out', tempDir()])).toMatchObject({ sha256: expect.any(String) })
  expect(await run(['kb', 'add', docs])).toMatchObject({ added: 1 })
  expect(await run(['kb', 'search', 'launch'])).toMatchObject({ hits: expect.any(Array) })

  const task = (await run(['tasks', 'add', 'Write the plan', 'Write the launch plan for March.'])) as {
    id: string
    metadata: { correlationId: string }
  }
  expect(await run(['tasks', 'list'])).toMatchObject({ tasks: expect.any(Array) })
  expect(await run(['tasks', 'cancel', task.id])).toMatchObject({ status: 'cancelled' })
  expect(await run(['tasks', 'follow', task.id])).toEqual(expect.arrayContaining([expect.anything()]))
  expect(await run(['tasks', 'requeue', '--all'])).toEqual({ requeued: [] })
  await run(['tasks', 'return', task.id, '--model', 'qwen2.5:7b'], [75])
  await run(['tasks', 'follow', 'no-such-task'], [66])

  expect(await run(['workflows', 'list'])).toMatchObject({ workflows: expect.any(Array) })
  const started = (await run(['workflows', 'run', 'code-review', 'A function that parses ISO dates.'])) as {
    id: string
  }
  expect(
    await run([
      'workflows',
      'run',
      'code-review',
      'Fix the date parser.',
      '--folder',
      docs,
      '--test-command',
      'npm test'
    ])
  ).toMatchObject({ status: 'running', source: 'cli' })
  await run(
    ['workflows', 'run', 'code-review', 'Fix the date parser.', '--folder', join(docs, 'nope'), '--test-command', 'x'],
    [65]
  )
  expect(await run(['workflows', 'show', started.id])).toMatchObject({
    decisionLog: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }
  })
  expect(await run(['workflows', 'runs'])).toMatchObject({ runs: expect.any(Array) })

  expect(await run(['digest'])).toMatchObject({ basis: 'morning' })
  expect(await run(['digest', '2020-01-01T00:00:00Z'])).toMatchObject({ basis: 'instant' })
  expect(await run(['usage', '--by', 'model'])).toMatchObject({ by: 'model' })
  expect(await run(['approvals', 'list'])).toMatchObject({ pending: expect.any(Number) })
  expect(await run(['approvals', 'approve', '--all'])).toMatchObject({ decided: [] })
  expect(await run(['approvals', 'reject', '--all'])).toMatchObject({ decided: [] })
  expect(await run(['system', 'resume'], [0, 1])).toMatchObject({ steps: expect.any(Array) })

  // A request's trail of several lines is one array, not a line per record.
  const id = task.metadata.correlationId
  appendFileSync(
    join(dir, 'logs', 'kos.log'),
    `${JSON.stringify({ ts: new Date().toISOString(), level: 'info', msg: 'a second line', correlation_id: id })}\n`
  )
  const trail = (await run(['logs', '--correlation', id])) as { correlation_id: string; msg: string }[]
  expect(trail.length).toBeGreaterThanOrEqual(2)
  expect(trail.every((r) => r.correlation_id === id)).toBe(true)
  expect(trail.at(-1)?.msg).toBe('a second line')
  await run(['logs', '--correlation', 'no-such-id'], [66])
  return ran
}

describe('kos --json over every command of the help', () => {
  it('prints one document for each, on a data dir no instance owns and through a running headless host', async () => {
    const docs = tempDir()
    writeFileSync(join(docs, 'plan.md'), '# Launch plan\n\nThe launch happens in March with the new pricing page.')

    const listed = await helpCommands()
    expect(listed).toEqual(expect.arrayContaining(['tasks', 'logs', 'workflows', 'digest', 'usage', 'system']))
    const offline = await everyCommand(tempDir(), docs)

    const hosted = tempDir()
    let stop = (): void => undefined
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const serveOut: string[] = []
    // Every command once starts more work than the default 12 calls a minute the host lets a client start.
    const serving = runKosInProcess(
      ['serve', '--data-dir', hosted, '--port', '0', '--set', 'host.rateLimit.workPerMinute=60'],
      {
        untilStopped: () => stopped,
        out: serveOut
      }
    )
    await expect.poll(() => serveOut.length, { timeout: 20_000 }).toBeGreaterThan(0)
    try {
      expect(await json(['status', '--data-dir', hosted])).toMatchObject({ doc: { running: true } })
      await everyCommand(hosted, docs)
    } finally {
      stop()
      expect((await serving).code).toBe(0)
    }

    // Every command the help lists was run here or has its --json test elsewhere.
    expect(listed.filter((c) => !offline.has(c) && !ELSEWHERE.has(c))).toEqual([])
  }, 180_000)
})
