import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { runKosInProcess } from '../test-support/run-kos-in-process'
import { endQuietlyOnBrokenPipe } from './cli-output'

const tempDir = useTempDirs()
const REPO = join(__dirname, '..', '..', '..')
const JITI = join(REPO, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs')

/** Runs a command with --json and parses its whole stdout as one document, as a script would. */
async function json(argv: string[], untilStopped?: () => Promise<void>): Promise<{ code: number; doc: unknown }> {
  const { code, out } = await runKosInProcess([...argv, '--json'], untilStopped ? { untilStopped } : {})
  return { code, doc: JSON.parse(out.join('\n')) }
}

describe('kos --json', () => {
  it('prints one parseable document for every command, success or failure', async () => {
    const dir = tempDir()
    const docs = tempDir()
    writeFileSync(join(docs, 'plan.md'), '# Launch plan\n\nThe launch happens in March with the new pricing page.')
    const d = ['--data-dir', dir]

    expect(await json(['--version'])).toEqual({ code: 0, doc: { version: '1.2.3' } })
    expect((await json(['--help'])).doc).toMatchObject({ usage: expect.stringContaining('kos serve') })
    expect((await json(['config', 'show', ...d])).doc).toMatchObject({ settings: expect.any(Array) })
    expect((await json(['status', ...d])).doc).toMatchObject({ running: false, dataDir: dir })
    expect((await json(['kb', 'add', docs, ...d])).doc).toMatchObject({ added: 1 })
    expect((await json(['kb', 'add', join(docs, 'plan.md'), ...d])).doc).toMatchObject({ title: 'plan.md' })
    expect((await json(['kb', 'search', 'launch', ...d])).doc).toMatchObject({
      mode: 'lexical',
      hits: expect.any(Array)
    })

    const added = (await json(['tasks', 'add', 'Write the plan', 'Write the launch plan for March.', ...d])).doc as {
      id: string
    }
    expect((await json(['tasks', 'list', ...d])).doc).toMatchObject({ tasks: [{ id: added.id }] })
    expect((await json(['tasks', 'follow', added.id, ...d])).doc).toMatchObject([{ kind: 'created', taskId: added.id }])
    expect((await json(['tasks', 'cancel', added.id, ...d])).doc).toMatchObject({ id: added.id, status: 'cancelled' })
    expect((await json(['tasks', 'follow', added.id, ...d])).doc).toMatchObject([
      { kind: 'created' },
      { kind: 'cancelled' }
    ])
    expect((await json(['tasks', 'requeue', '--all', ...d])).doc).toEqual({ requeued: [] })

    // Refusals from the core, and failures before any call, are documents too.
    expect(await json(['tasks', 'follow', 'nope', ...d])).toMatchObject({
      code: 66,
      doc: { error: { code: 'not_found' } }
    })
    expect(await json(['tasks', 'add', 'x', 'short', ...d])).toMatchObject({
      code: 65,
      doc: { error: { code: 'invalid_input' } }
    })
    expect(await json(['tasks', 'frob', ...d])).toMatchObject({
      code: 64,
      doc: { error: { message: expect.stringContaining('Unknown tasks command'), exitCode: 64 } }
    })
    expect(await json(['kb', 'add', join(dir, 'nope'), ...d])).toMatchObject({
      code: 66,
      doc: { error: { message: expect.stringMatching(/^Nothing at /) } }
    })
    expect(await json(['export', ...d, '--out', tempDir()])).toMatchObject({
      code: 66,
      doc: { error: { code: 'not_found' } }
    })
    expect(await json(['frobnicate'])).toMatchObject({ code: 64, doc: { error: { exitCode: 64 } } })
    expect(await json([])).toMatchObject({ code: 64, doc: { error: { message: expect.stringContaining('Usage:') } } })
  }, 60_000)

  it('prints one document from checklist run, export and serve', async () => {
    const dir = tempDir()
    const d = ['--data-dir', dir]
    const run = await json(['checklist', 'run', ...d])
    expect(run.doc).toMatchObject({
      verdict: expect.any(String),
      results: expect.arrayContaining([expect.objectContaining({ id: 'database.integrity' })])
    })
    expect((await json(['export', ...d, '--out', tempDir()])).doc).toMatchObject({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/)
    })
    expect(await json(['serve', ...d, '--port', '0'], () => Promise.resolve())).toMatchObject({
      code: 0,
      doc: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) }
    })
  }, 60_000)
})

describe('kos in a pipe', () => {
  it('ends with status 0 and no message when the reader of its output goes away', async () => {
    const child = spawn(process.execPath, [JITI, join(__dirname, 'testing', 'pipe-writer.ts')], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    // The reader closes before the first line is written, like `head` after its lines.
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  }, 60_000)

  it('passes on write errors other than a broken pipe', () => {
    const stream = new EventEmitter()
    const exits: number[] = []
    const others: string[] = []
    endQuietlyOnBrokenPipe(
      stream,
      (code) => exits.push(code),
      (e) => others.push(e.message)
    )
    stream.emit('error', Object.assign(new Error('broken'), { code: 'EPIPE' }))
    stream.emit('error', Object.assign(new Error('no space'), { code: 'ENOSPC' }))
    expect(exits).toEqual([0])
    expect(others).toEqual(['no space'])
  })
})
