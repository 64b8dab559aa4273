import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runKosInProcess } from '../../test-support/run-kos-in-process'
import { useTempDirs } from '../../test-support/temp-dir'

const tempDir = useTempDirs()
const kos = (argv: string[]) => runKosInProcess(argv, { untilStopped: () => new Promise<void>(() => undefined) })

describe('kos workflows', () => {
  it('lists the built-ins, names a broken user file with its field, value and fix, runs and shows a run', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'workflows'))
    writeFileSync(
      join(dir, 'workflows', 'mine.json'),
      JSON.stringify({ id: 'Mine!', title: 'Mine', description: 'My own workflow.', steps: [] })
    )
    const listed = await kos(['workflows', 'list', '--data-dir', dir])
    expect(listed.code).toBe(65)
    expect(listed.out.join('\n')).toMatch(/code-review\s+builtin\s+coder → librarian → reviewer/)
    expect(listed.out.join('\n')).toMatch(/draft-board\s+builtin\s+draft → board/)
    const problems = listed.err.join('\n')
    expect(problems).toContain(`${join(dir, 'workflows', 'mine.json')} did not load`)
    expect(problems).toContain('id: "Mine!" — Use 1–48 lower-case letters')
    expect(problems).toContain('steps: [] — Too small')

    const started = await kos([
      'workflows',
      'run',
      'code-review',
      'Write',
      'an',
      'add()',
      'helper',
      '--json',
      '--data-dir',
      dir
    ])
    expect(started.code).toBe(0)
    const run = JSON.parse(started.out[0] as string) as {
      id: string
      status: string
      currentStep: string
      source: string
    }
    expect(run).toMatchObject({ status: 'running', currentStep: 'coder', source: 'cli' })
    const shown = await kos(['workflows', 'show', run.id, '--data-dir', dir])
    expect(shown.code).toBe(0)
    expect(shown.out.join('\n')).toMatch(/ 1\.1 coder\s+running/)
    expect(shown.out.join('\n')).toMatch(/Decision log: 0 rows, SHA-256 [0-9a-f]{64}/)

    const unknown = await kos(['workflows', 'run', 'nope', 'some input text here', '--data-dir', dir])
    expect(unknown.code).toBe(66)
    expect(unknown.err.join('\n')).toContain(
      'There is no workflow "nope". Pick one of: code-review, draft-board, research-summary.'
    )
    const secret = await kos([
      'workflows',
      'run',
      'code-review',
      `use key AKIA${'Q'.repeat(16)} to deploy`,
      '--data-dir',
      dir
    ])
    expect(secret.code).toBe(65)
    expect(secret.err.join('\n')).toContain('looks like an AWS access key id')
    const missing = await kos(['workflows', 'show', 'run_missing', '--data-dir', dir])
    expect(missing.code).toBe(66)
  })
})
