import type { WebSocket } from '@playwright/test'
import { expect, test } from '../support/headless-host'
import { TasksPage } from './pages/tasks-page'

interface Frame {
  readonly direction: 'sent' | 'received'
  readonly type: string
  readonly name: string | null
  /** A list call asking for a page after the first. */
  readonly paged: boolean
  readonly bytes: number
}

/** Every frame of the page's WebSocket to the core, parsed, from the moment it opens. */
function recordFrames(page: TasksPage['page']): Frame[] {
  const frames: Frame[] = []
  const record = (direction: Frame['direction']) => (data: { payload: string | Buffer }) => {
    const text = typeof data.payload === 'string' ? data.payload : data.payload.toString('utf8')
    const frame = JSON.parse(text) as { type: string; name?: string; input?: { cursor?: string } }
    frames.push({
      direction,
      type: frame.type,
      name: frame.name ?? null,
      paged: typeof frame.input?.cursor === 'string',
      bytes: Buffer.byteLength(text)
    })
  }
  page.on('websocket', (ws: WebSocket) => {
    ws.on('framesent', record('sent'))
    ws.on('framereceived', record('received'))
  })
  return frames
}

test.describe('Tasks view on the wire', () => {
  test('one create costs one call and one pushed change: the opened task, the list and the counters read nothing', async ({
    page,
    host
  }, testInfo) => {
    const frames = recordFrames(page)
    const tasks = new TasksPage(page)
    await tasks.open(host.url, 'tasks')
    await expect(tasks.count('pending')).toHaveText('0')
    await expect(tasks.worker).toBeVisible()
    await expect(page.getByText('No tasks yet.')).toBeVisible()
    // The first task to wait makes the engine say why tasks wait (no model server here): one tasks.engineChanged, once,
    // and the health it moves (health.changed).
    const first = await createAndCount('Summarise the Q3 report', 1)
    const second = await createAndCount('Draft the launch memo', 2)
    const figures = { first, second }
    await testInfo.attach('round-trips.json', {
      body: JSON.stringify(figures, null, 2),
      contentType: 'application/json'
    })
    console.log(`one create from the Tasks view: ${JSON.stringify(figures)}`)
    expect(first.calls).toEqual(['tasks.create'])
    // Changes are merged for 50 ms before they go out, so the engine's news may come first.
    expect(first.pushed.filter((name) => name?.startsWith('tasks.')).sort()).toEqual([
      'tasks.changed',
      'tasks.engineChanged'
    ])
    expect(second.calls).toEqual(['tasks.create'])
    expect(second.pushed).toEqual(['tasks.changed'])

    async function createAndCount(
      title: string,
      pending: number
    ): Promise<{ calls: (string | null)[]; pushed: (string | null)[]; bytesReceived: number }> {
      const before = frames.length
      await tasks.create({ title, description: `${title}, in five bullet points for the board.` })
      await expect(tasks.count('pending')).toHaveText(String(pending))
      await expect(tasks.rows()).toHaveCount(pending)
      await expect(tasks.detail(title).getByRole('list', { name: 'Events of this task' })).toContainText('created')
      // A last call through the same socket: a read the view still owed would go out before its answer comes back.
      await page.evaluate(() =>
        (window as unknown as { kos: { call(name: string, input: unknown): Promise<unknown> } }).kos.call(
          'app.info',
          {}
        )
      )
      const sentinel = frames.findIndex((f, i) => i >= before && f.name === 'app.info')
      const during = frames.slice(before, sentinel)
      return {
        calls: during.filter((f) => f.direction === 'sent' && f.type === 'call').map((f) => f.name),
        // tasks.concurrency is the controller's periodic decision, not a consequence of the create.
        pushed: during
          .filter((f) => f.type === 'event' && f.name !== 'tasks.concurrency' && f.name !== 'overview.sample')
          .map((f) => f.name),
        bytesReceived: during.filter((f) => f.direction === 'received').reduce((n, f) => n + f.bytes, 0)
      }
    }
  })
  test.describe('with 450 tasks queued at once', () => {
    // 450 creates in a few seconds are more than the host's per-token rate limit lets through by default.
    test.use({ hostArgs: ['--set', 'host.rateLimit.fullPerSecond=10000'] })

    test('the list reads a page of 200 at first and the next pages only as it scrolls to them', async ({
      page,
      host
    }) => {
      const headers = { Authorization: `Bearer ${host.fullToken}` }
      const create = (i: number) =>
        page.request.post(`${host.origin}/api/call/tasks.create`, {
          headers,
          data: { title: `Queued task ${i}`, description: `Queued task number ${i}, to fill the list.` }
        })
      for (let i = 0; i < 450; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => create(i + j)))
      const frames = recordFrames(page)
      const tasks = new TasksPage(page)
      await tasks.open(host.url, 'tasks')
      await expect(tasks.page.getByText('450 tasks')).toBeVisible()
      const pages = (): number =>
        frames.filter((f) => f.direction === 'sent' && f.name === 'tasks.list' && f.paged).length
      // The windowed list renders only the rows in view, not the 200 loaded.
      expect(await tasks.rows().count()).toBeLessThan(40)
      expect(pages()).toBe(0)

      // How many rows the list holds: its spacer is one row height (44 px) per loaded row.
      const loaded = (): Promise<number> => tasks.list.evaluate((el) => Math.round(el.scrollHeight / 44))
      await tasks.list.focus()
      await page.keyboard.press('End')
      await expect.poll(pages).toBe(1)
      await expect.poll(loaded).toBe(400)
      await page.keyboard.press('End')
      await expect.poll(pages).toBe(2)
      await expect.poll(loaded).toBe(450)
      await page.keyboard.press('End')
      await expect(tasks.rows().last()).toHaveAttribute('aria-posinset', '450')
      expect(pages()).toBe(2)
    })
  })
})
