import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CALL_BYTES, MAX_INPUT_DEPTH } from '../../../shared/contract/limits'
import { bearer, http, nextMessage, openSocket, useHeadlessHosts, wsUrl } from './testing/host-harness'

const start = useHeadlessHosts()

/** JSON text nested `levels` deep, written out by hand: JSON.stringify itself would overflow the stack. */
const nested = (levels: number): string => `${'{"deeper":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`

describe('limits at the edge of the headless host', () => {
  it('refuses a body over the call’s limit with 413 and closes that connection, so the next request works at once', async () => {
    const { host } = await start()
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const headers = { ...bearer(host.access.fullToken), 'Content-Type': 'application/json' }
    const huge = JSON.stringify({ title: 'big', description: 'x'.repeat(DEFAULT_CALL_BYTES * 2) })
    const refused = await http(`${host.origin}/api/call/tasks.create`, { method: 'POST', headers, body: huge, agent })
    expect(refused.status).toBe(413)
    expect(refused.headers.connection).toBe('close')
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'too_large', call: 'tasks.create' } })
    expect(JSON.parse(refused.body).error.message).toMatch(
      /\(2\.0 MB\) is too large: 1\.0 MB is the most one call can carry/
    )

    const next = await http(`${host.origin}/api/call/app.info`, { method: 'POST', headers, body: '{}', agent })
    expect(next.status).toBe(200)
    agent.destroy()
  })

  it('refuses a body that grows past the limit without a Content-Length (chunked) the same way', async () => {
    const { host } = await start()
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const reply = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = request(
        `${host.origin}/api/call/tasks.create`,
        { method: 'POST', agent, headers: bearer(host.access.fullToken) },
        (res) => {
          res.resume()
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }))
        }
      )
      // The server may stop reading and close while this side still writes: the reply is what counts.
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)
      )
      for (let i = 0; i < 3; i++) req.write('x'.repeat(DEFAULT_CALL_BYTES))
      req.end()
    })
    expect(reply).toEqual({ status: 413, connection: 'close' })
    expect(
      (
        await http(`${host.origin}/api/call/app.info`, {
          method: 'POST',
          headers: bearer(host.access.fullToken),
          agent
        })
      ).status
    ).toBe(200)
    agent.destroy()
  })

  it('refuses metadata nested thousands of levels with invalid_input naming the depth limit, over HTTP and WebSocket', async () => {
    const { host } = await start()
    const input = `{"title":"Deep","description":"Metadata nested far too deep.","metadata":{"a":${nested(5000)}}}`
    const reply = await http(`${host.origin}/api/call/tasks.create`, {
      method: 'POST',
      headers: bearer(host.access.fullToken),
      body: input
    })
    expect(reply.status).toBe(400)
    const body = JSON.parse(reply.body)
    expect(body).toMatchObject({ ok: false, error: { code: 'invalid_input', call: 'tasks.create' } })
    expect(body.error.message).toContain(`nested more than ${MAX_INPUT_DEPTH} levels deep`)

    const ws = await openSocket(wsUrl(host), bearer(host.access.fullToken))
    ws.send(`{"type":"call","id":1,"name":"tasks.create","input":${input}}`)
    expect(await nextMessage(ws)).toMatchObject({ id: 1, result: { ok: false, error: { code: 'invalid_input' } } })
    ws.close()
  })

  it('answers a WebSocket frame over its call’s limit with too_large and keeps the socket open', async () => {
    const { host } = await start()
    const ws = await openSocket(wsUrl(host), bearer(host.access.fullToken))
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        name: 'tasks.create',
        input: { title: 't', description: 'y'.repeat(DEFAULT_CALL_BYTES) }
      })
    )
    expect(await nextMessage(ws)).toMatchObject({
      id: 1,
      result: { ok: false, error: { code: 'too_large', call: 'tasks.create' } }
    })
    ws.send(JSON.stringify({ type: 'call', id: 2, name: 'app.info', input: {} }))
    expect(await nextMessage(ws)).toMatchObject({ id: 2, result: { ok: true } })
    ws.close()
  })

  it('refuses, unread, a frame larger than any call the read-only token may make', async () => {
    const { host } = await start()
    const ws = await openSocket(wsUrl(host), bearer(host.access.readOnlyToken))
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        name: 'knowledge.addText',
        input: { title: 't', content: 'z'.repeat(2 * DEFAULT_CALL_BYTES) }
      })
    )
    const frame = await nextMessage(ws)
    expect(frame).toMatchObject({ id: null, result: { ok: false, error: { code: 'too_large' } } })
    expect((frame.result as { error: { message: string } }).error.message).toMatch(
      /^A frame \(2\.0 MB\) is too large: 1\.0 MB is the most one call can carry/
    )
    ws.close()
  })

  it('takes a text larger than the default call limit where the contract allows it (Knowledge → Add a text)', async () => {
    const { host } = await start()
    const ws = await openSocket(wsUrl(host), bearer(host.access.fullToken))
    const content = 'A paragraph of notes that goes on. '.repeat(60_000)
    ws.send(JSON.stringify({ type: 'call', id: 1, name: 'knowledge.addText', input: { title: 'Long notes', content } }))
    expect(await nextMessage(ws)).toMatchObject({
      id: 1,
      result: { ok: true, value: { title: 'Long notes', chars: content.length } }
    })
    ws.close()
  })

  it('never echoes a huge refused value into the reply or the log', async () => {
    const { core, host } = await start()
    const value = 'v'.repeat(900_000)
    const reply = await http(`${host.origin}/api/call/config.set`, {
      method: 'POST',
      headers: bearer(host.access.fullToken),
      body: JSON.stringify({ key: 'log.level', value })
    })
    expect(reply.status).toBeGreaterThanOrEqual(400)
    expect(reply.body.length).toBeLessThan(4000)
    const log = readFileSync(core.info().logFile, 'utf8')
    expect(log).toContain('call refused')
    for (const line of log.split('\n')) expect(line.length).toBeLessThan(4000)
  })
})
