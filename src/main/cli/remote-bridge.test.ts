import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { remoteBridge } from './remote-bridge'

/**
 * A host that answers the first request of each connection and promises to keep it open, then
 * closes it when a second request arrives on it, as a host does whose idle timeout ran out just as
 * the client sent again: a client that reuses the connection sees it cut before any answer.
 */
function hostClosingReusedConnections(): Promise<{ server: Server; origin: string; connections: () => number }> {
  let connections = 0
  const server = createServer((socket: Socket) => {
    connections++
    let answered = false
    socket.on('error', () => undefined)
    socket.on('data', () => {
      if (answered) return void socket.destroy()
      answered = true
      const body = JSON.stringify({ ok: true, value: { answered: connections } })
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n${body}`
      )
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({ server, origin: `http://127.0.0.1:${port}`, connections: () => connections })
    })
  )
}

describe('the bridge a kos command uses to reach a running host', () => {
  const servers: Server[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
  })

  it('makes each call on a connection of its own, so a connection the host closed as idle never fails a call', async () => {
    const host = await hostClosingReusedConnections()
    servers.push(host.server)
    const bridge = remoteBridge(host.origin, 'token')
    const results = []
    for (let i = 0; i < 5; i++) results.push(await bridge.call('tasks.counters', {}))
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true])
    expect(host.connections()).toBe(5)
    bridge.close()
  })

  it('says the host did not answer, naming it, when nothing listens', async () => {
    const host = await hostClosingReusedConnections()
    await new Promise((resolve) => host.server.close(resolve))
    const result = await remoteBridge(host.origin, 'token').call('tasks.counters', {})
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'unavailable',
        message: expect.stringContaining(`The running host at ${host.origin} did not answer`)
      }
    })
  })
})
