import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { acquireInstanceLock, describeOwner, type InstanceOwner } from './instance-lock'

const tempDir = useTempDirs()
const owner = (kind: InstanceOwner['kind']): InstanceOwner => ({
  pid: process.pid,
  kind,
  startedAt: '2026-11-24T10:00:00.000Z'
})

describe('instance lock', () => {
  it('refuses a second instance on the same data dir and names the running one', () => {
    const dir = tempDir()
    const first = acquireInstanceLock(dir, owner('headless'))
    expect(first.ok).toBe(true)
    if (first.ok) first.lock.describe({ ...owner('headless'), url: 'http://127.0.0.1:7420' })

    const second = acquireInstanceLock(dir, owner('cli'))
    expect(second).toEqual({ ok: false, owner: { ...owner('headless'), url: 'http://127.0.0.1:7420' } })
    if (!second.ok) {
      expect(describeOwner(second.owner)).toBe(
        `the headless host (pid ${process.pid}, started 2026-11-24T10:00:00.000Z, at http://127.0.0.1:7420)`
      )
    }
    if (first.ok) first.lock.release()
    const third = acquireInstanceLock(dir, owner('cli'))
    expect(third.ok).toBe(true)
    if (third.ok) third.lock.release()
  })

  it('is free again at once after the holder is killed with SIGKILL', async () => {
    const dir = tempDir()
    const binding = join(process.cwd(), 'node_modules', 'better-sqlite3')
    const holder = spawn(process.execPath, [
      '-e',
      `const D = require(${JSON.stringify(binding)}); const db = new D(${JSON.stringify(join(dir, 'instance.lock'))});
       db.exec('BEGIN EXCLUSIVE'); require('fs').writeFileSync(${JSON.stringify(join(dir, 'instance.json'))}, JSON.stringify({pid: process.pid, kind: 'headless', startedAt: 'x'}));
       process.stdout.write('locked\\n'); setInterval(() => {}, 1000)`
    ])
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()))

    const whileAlive = acquireInstanceLock(dir, owner('electron'))
    expect(whileAlive).toMatchObject({ ok: false, owner: { pid: holder.pid, kind: 'headless' } })

    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    const afterKill = acquireInstanceLock(dir, owner('electron'))
    expect(afterKill.ok).toBe(true)
    if (afterKill.ok) afterKill.lock.release()
  })
})
