import { describe, expect, it } from 'vitest'
import { runKosInProcess } from '../../test-support/run-kos-in-process'
import { useTempDirs } from '../../test-support/temp-dir'

const tempDir = useTempDirs()

/** Long-running commands (serve, follow) run until the test stops them. */
function kos(argv: string[], untilStopped = () => new Promise<void>(() => undefined), out: string[] = []) {
  return runKosInProcess(argv, { untilStopped, out })
}

describe('kos tasks', () => {
  it('adds, lists, refuses a duplicate with the existing id, and refuses to requeue a pending task', async () => {
    const dir = tempDir()
    const added = await kos([
      'tasks',
      'add',
      'Write the plan',
      'Write the launch plan for March.',
      '--json',
      '--data-dir',
      dir
    ])
    expect(added.code).toBe(0)
    const id = (JSON.parse(added.out[0] as string) as { id: string }).id
    const listed = await kos(['tasks', 'list', 'pending', '--data-dir', dir])
    expect(listed.out.join('\n')).toContain(`${id}  pending`)
    const again = await kos(['tasks', 'add', 'write the  plan', 'Write the launch plan for March.', '--data-dir', dir])
    expect(again.code).toBe(75)
    expect(again.err.join('\n')).toContain(id)
    const requeued = await kos(['tasks', 'requeue', id, '--data-dir', dir])
    expect(requeued.code).toBe(75)
    expect(requeued.err.join('\n')).toMatch(/none was returned/)
    const all = await kos(['tasks', 'requeue', '--all', '--data-dir', dir])
    expect(all.code).toBe(0)
    expect(all.out.join('\n')).toBe('Returned 0 task(s) to autoprocessing.')
    const invalid = await kos(['tasks', 'add', 'x', 'short', '--data-dir', dir])
    expect(invalid.code).toBe(65)
    expect(invalid.err.join('\n')).toMatch(/at least 3 characters/)
  })

  it('follow streams a task’s events live through the running app until the task ends', async () => {
    const dir = tempDir()
    let stop = (): void => undefined
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const serveOut: string[] = []
    const serving = kos(['serve', '--data-dir', dir, '--port', '0'], () => stopped, serveOut)
    await expect.poll(() => serveOut.length, { timeout: 15_000 }).toBeGreaterThan(0)
    try {
      const added = await kos([
        'tasks',
        'add',
        'Follow me',
        'A task to be followed until it is cancelled.',
        '--json',
        '--data-dir',
        dir
      ])
      const id = (JSON.parse(added.out[0] as string) as { id: string }).id
      const followOut: string[] = []
      const following = kos(['tasks', 'follow', id, '--data-dir', dir], undefined, followOut)
      await expect.poll(() => followOut.join('\n'), { timeout: 10_000 }).toContain('created')
      expect((await kos(['tasks', 'cancel', id, '--data-dir', dir])).code).toBe(0)
      const followed = await following
      expect(followed.code).toBe(0)
      expect(followOut.map((l) => l.split(/\s+/)[1])).toEqual(['created', 'cancelled'])
    } finally {
      stop()
      await serving
    }
  }, 30_000)

  it('follow without a running app prints the history and says nothing will process the task', async () => {
    const dir = tempDir()
    const added = await kos([
      'tasks',
      'add',
      'Lonely task',
      'Nobody runs on this data dir right now.',
      '--json',
      '--data-dir',
      dir
    ])
    const id = (JSON.parse(added.out[0] as string) as { id: string }).id
    const followed = await kos(['tasks', 'follow', id, '--data-dir', dir])
    expect(followed.code).toBe(0)
    expect(followed.out).toHaveLength(1)
    expect(followed.err.join('\n')).toMatch(/No app is running/)
    expect((await kos(['tasks', 'follow', 'nope', '--data-dir', dir])).code).toBe(66)
  })
})
