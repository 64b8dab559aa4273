import { describe, expect, it } from 'vitest'
import { bearer, http, openSocket, useHeadlessHosts } from './testing/host-harness'

const start = useHeadlessHosts()

const portOf = (origin: string): string => new URL(origin).port

describe('loopback aliases', () => {
  for (const bind of ['127.0.0.1', 'localhost']) {
    it(`accepts 127.0.0.1, localhost and [::1] as Host and Origin alike when started on ${bind}`, async () => {
      const { host } = await start({ bind })
      const port = portOf(host.origin)
      for (const alias of ['127.0.0.1', 'localhost', '[::1]']) {
        const headers = {
          ...bearer(host.access.fullToken),
          Host: `${alias}:${port}`,
          Origin: `http://${alias}:${port}`
        }
        const reply = await http(`${host.origin}/api/call/app.info`, { method: 'POST', headers, body: '{}' })
        expect(reply.status, alias).toBe(200)
        const ws = await openSocket(`${host.origin.replace('http', 'ws')}/rpc`, headers)
        ws.close()
      }
    })
  }

  it('still refuses other hosts and origins, and loopback on another port', async () => {
    const { host } = await start()
    const port = portOf(host.origin)
    const other = String(Number(port) === 65535 ? 1 : Number(port) + 1)
    const call = (headers: Record<string, string>) =>
      http(`${host.origin}/api/call/app.info`, {
        method: 'POST',
        headers: { ...bearer(host.access.fullToken), ...headers },
        body: '{}'
      })
    expect((await call({ Host: `evil.example:${port}` })).status).toBe(421)
    expect((await call({ Host: `localhost:${other}` })).status).toBe(421)
    expect((await call({ Host: `127.0.0.1.evil.example:${port}` })).status).toBe(421)
    for (const origin of [
      `http://evil.example:${port}`,
      `http://localhost:${other}`,
      `https://localhost:${port}`,
      `http://localhost.evil.example:${port}`,
      'null'
    ]) {
      expect((await call({ Origin: origin })).status, origin).toBe(403)
      await expect(
        openSocket(`${host.origin.replace('http', 'ws')}/rpc`, { ...bearer(host.access.fullToken), Origin: origin })
      ).rejects.toThrow('status 403')
    }
  })
})
