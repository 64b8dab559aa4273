import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from '@playwright/test'
import { OFFLINE_ENV } from '../../src/main/test-support/offline-env'
import { startJson } from '../support/start-json'

const KOS = join(__dirname, '..', '..', 'bin', 'kos.js')
const ENV = { ...process.env, ...OFFLINE_ENV, KOS_DATA_DIR: '' }

/**
 * The built `kos` with its stdout read by something that goes away: at once
 * (`| true`), or after the first line (`| head -1`). Resolves with how it ended.
 */
function inPipe(argv: string[], reader: 'closed' | 'first line'): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [KOS, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  if (reader === 'closed') child.stdout.destroy()
  else createInterface({ input: child.stdout }).once('line', () => child.stdout.destroy())
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })))
}

const COMMANDS: string[][] = [
  ['tasks', 'list'],
  ['tasks', 'list', '--json'],
  ['config', 'show'],
  ['config', 'show', '--json'],
  ['status', '--json'],
  ['usage', '--by', 'day'],
  ['--help']
]

test.describe('kos in a pipe', () => {
  let dataDir = ''
  let host: ChildProcess | null = null

  test.beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kos-e2e-pipe-'))
    for (const n of [1, 2, 3]) {
      const added = spawnSync(
        process.execPath,
        [KOS, 'tasks', 'add', `Task ${n}`, `Describe the thing number ${n} to be done.`, '--data-dir', dataDir],
        { env: ENV, encoding: 'utf8' }
      )
      expect(added.status, added.stderr).toBe(0)
    }
  })

  test.afterAll(async () => {
    if (host && host.exitCode === null) {
      const exited = new Promise((resolve) => host?.once('exit', resolve))
      host.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('ends with status 0 and nothing on stderr when the reader goes away, on the data dir and through a running host', async () => {
    test.setTimeout(180_000)
    for (const argv of COMMANDS)
      for (const reader of ['closed', 'first line'] as const)
        expect({ argv, reader, ...(await inPipe([...argv, '--data-dir', dataDir], reader)) }).toEqual({
          argv,
          reader,
          code: 0,
          stderr: ''
        })

    const started = await startJson<{ url: string }>(
      [KOS, 'serve', '--json', '--port', '0', '--data-dir', dataDir],
      ENV
    )
    host = started.child
    for (const argv of [
      ['tasks', 'list'],
      ['tasks', 'list', '--json']
    ])
      expect({ argv, ...(await inPipe([...argv, '--data-dir', dataDir], 'closed')) }).toEqual({
        argv,
        code: 0,
        stderr: ''
      })
  })
})
