import { expect, test } from '../support/headless-host'
import { BoardPage } from './pages/board-page'

test.describe('Board view with no model server reachable', () => {
  test('shows an honest empty state, and asking the board says why it cannot meet', async ({ page, host }) => {
    const board = new BoardPage(page)
    await board.open(host.url, 'board')
    await expect(board.heading).toHaveText('Board')
    await expect(board.emptyState).toContainText('The board has not been asked anything yet.')

    // The contract's rule for a question, said before the board is called together.
    await board.askBoard('Why?')
    await expect(board.alerts).toHaveText('A question for the board needs at least 10 characters')
    await board.askBoard('Should we invest in a second GPU server?')
    await expect(board.alerts).toHaveText(
      /^The board could not decide: only 0 of 4 board members answered \(No model is available: no node is reachable.*\)\. Check the Models view for a failing node, then ask again\.$/
    )
    await board.source.selectOption('manual')
    await expect(page.getByText('No decision matches these filters.')).toBeVisible()
  })

  test('lists no decision over the API either, and refuses an unknown one by name', async ({ host, request }) => {
    const headers = { Authorization: `Bearer ${host.fullToken}` }
    const list = await request.post(`${host.origin}/api/call/board.decisions.list`, { headers, data: {} })
    expect(await list.json()).toEqual({ ok: true, value: { decisions: [], nextCursor: null } })
    const missing = await request.post(`${host.origin}/api/call/board.decisions.get`, { headers, data: { id: 'nope' } })
    expect(missing.status()).toBe(404)
    expect(await missing.json()).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('There is no board decision with id "nope"') }
    })
  })
})
