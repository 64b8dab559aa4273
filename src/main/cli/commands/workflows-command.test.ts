import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '../../../shared/contract/workflows-contract'
import { DATABASE_FILE } from '../../app/start-core'
import { openDatabase } from '../../db/database'
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

  it('runs on a project with --folder and --test-command, and names a missing, file or half-given project with what to do', async () => {
    const dir = tempDir()
    const project = join(tempDir(), 'app')
    mkdirSync(project)
    writeFileSync(join(project, 'test.js'), 'process.exit(0)\n')
    const input = ['Fix add(): it subtracts instead of adding.', '--data-dir', dir]

    const started = await kos([
      'workflows',
      'run',
      'code-review',
      ...input,
      '--folder',
      project,
      '--test-command',
      'node test.js',
      '--json'
    ])
    expect(started.code).toBe(0)
    expect(started.out).toHaveLength(1)
    const run = JSON.parse(started.out[0] as string) as { id: string; currentStep: string }
    expect(run.currentStep).toBe('coder')
    // The run's code step is the one the project's tests run on.
    const db = openDatabase(join(dir, DATABASE_FILE))
    const stored = db.prepare('SELECT definition FROM workflow_runs WHERE id = ?').get(run.id) as { definition: string }
    db.close()
    const coder = (JSON.parse(stored.definition) as WorkflowDefinition).steps.find((s) => s.name === 'coder')
    expect(coder?.tests).toMatchObject({ command: 'node test.js', cwd: project })

    const said = await kos([
      'workflows',
      'run',
      'code-review',
      ...input,
      `--folder=${project}/`,
      '--test-command=node test.js'
    ])
    expect(said.code).toBe(0)
    expect(said.out.join('\n')).toContain(`Its code is tested with "node test.js" on a copy of ${project}.`)

    const missing = await kos([
      'workflows',
      'run',
      'code-review',
      ...input,
      '--folder',
      join(project, 'nope'),
      '--test-command',
      'npm test',
      '--json'
    ])
    expect(missing.code).toBe(65)
    expect(missing.err.join('\n')).toBe(
      `The project folder "${join(project, 'nope')}" does not exist; pick an existing folder.`
    )
    expect(missing.out).toHaveLength(1)
    expect(JSON.parse(missing.out[0] as string)).toEqual({ error: { message: missing.err.join('\n'), exitCode: 65 } })

    // `--folder=~/…` reaches kos unexpanded; it is the user's home (here /nonexistent), and said so.
    const tilde = await kos([
      'workflows',
      'run',
      'code-review',
      ...input,
      '--folder=~/app',
      '--test-command',
      'npm test'
    ])
    expect(tilde.code).toBe(65)
    expect(tilde.err.join('\n')).toBe(
      'The project folder "/nonexistent/app" does not exist; pick an existing folder. (from --folder "~/app")'
    )

    const file = await kos([
      'workflows',
      'run',
      'code-review',
      ...input,
      '--folder',
      join(project, 'test.js'),
      '--test-command',
      'npm test'
    ])
    expect(file.code).toBe(65)
    expect(file.err.join('\n')).toContain(
      `"${join(project, 'test.js')}" is a file, not a folder; give the folder that holds the project.`
    )

    const half = await kos(['workflows', 'run', 'code-review', ...input, '--folder', project])
    expect(half.code).toBe(64)
    expect(half.err.join('\n')).toContain(`--folder "${project}" needs --test-command too`)
    const otherHalf = await kos(['workflows', 'run', 'code-review', ...input, '--test-command', 'npm test'])
    expect(otherHalf.code).toBe(64)
    expect(otherHalf.err.join('\n')).toContain('--test-command "npm test" needs --folder too')
    const wrongVerb = await kos(['workflows', 'list', '--data-dir', dir, '--folder', project])
    expect(wrongVerb.code).toBe(64)
    expect(wrongVerb.err.join('\n')).toContain('--folder and --test-command go with kos workflows run, not list.')

    // A workflow with no code step has nothing to test on a project: the core says so.
    const noCode = await kos([
      'workflows',
      'run',
      'research-summary',
      ...input,
      '--folder',
      project,
      '--test-command',
      'npm test'
    ])
    expect(noCode.code).toBe(65)
    expect(noCode.err.join('\n')).toContain('The workflow "research-summary" has no code step')

    const help = await kos(['workflows', '--data-dir', dir])
    expect(help.err.join('\n')).toContain('[--folder DIR --test-command CMD]')
  })
})
