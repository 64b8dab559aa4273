import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { FRAME_LIMIT_BYTES } from '../../../shared/contract/limits'
import {
  bearer,
  closeCode,
  http,
  nextMessage,
  openSocket,
  rawFrame,
  useHeadlessHosts,
  writeRaw,
  wsUrl
} from './testing/host-harness'

const start = useHeadlessHosts()

/** The host still answers, on a new socket and over HTTP. */
async function stillServes(origin: string, url: string, token: string): Promise<void> {
  const ws = await openSocket(url, bearer(token))
  ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', input: {} }))
  expect(await nextMessage(ws)).toMatchObject({ id: 1, result: { ok: true } })
  ws.close()
  expect((await http(`${origin}/api/call/app.info`, { method: 'POST', headers: bearer(token) })).status).toBe(200)
}

describe('WebSocket transport under hostile frames', () => {
  const violations = [
    {
      what: 'a frame over the limit',
      code: 1009,
      token: 'readOnlyToken',
      send: (ws: WebSocket) => ws.send('x'.repeat(FRAME_LIMIT_BYTES + 1))
    },
    {
      what: 'invalid UTF-8',
      code: 1007,
      token: 'readOnlyToken',
      send: (ws: WebSocket) => writeRaw(ws, rawFrame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))
    },
    {
      what: 'a reserved opcode',
      code: 1002,
      token: 'fullToken',
      send: (ws: WebSocket) => writeRaw(ws, rawFrame(0x3, Buffer.from('{}')))
    }
  ] as const
  for (const { what, code, token, send } of violations) {
    it(`closes a socket that sends ${what} with ${code}, and the host goes on`, async () => {
      const { host } = await start()
      const ws = await openSocket(wsUrl(host), bearer(host.access[token]))
      const closed = closeCode(ws)
      send(ws)
      expect(await closed).toBe(code)
      await stillServes(host.origin, wsUrl(host), host.access[token])
    })
  }

  it('survives a socket that dies mid-frame', async () => {
    const { host } = await start()
    const ws = await openSocket(wsUrl(host), bearer(host.access.fullToken))
    const closed = closeCode(ws)
    writeRaw(ws, rawFrame(0x1, Buffer.from('{"type":"call"')).subarray(0, 8))
    ;(ws as unknown as { _socket: { destroy(): void } })._socket.destroy()
    await closed
    await stillServes(host.origin, wsUrl(host), host.access.fullToken)
  })
})
