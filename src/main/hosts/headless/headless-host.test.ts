import { describe, expect, it } from 'vitest'
import { createCoreMetrics } from '../../metrics/core-metrics'
import { READ_SCOPES } from '../../rpc/in-process-client'
import { bearer, http, nextMessage, openSocket, useHeadlessHosts } from './testing/host-harness'

const startHost = useHeadlessHosts()

/** A real core behind the host; with `metricsAccess`, /metrics is served the way `kos serve` serves it. */
function start(options: { allowRemote?: boolean; metricsAccess?: 'token' | 'loopback' } = {}) {
  const { metricsAccess } = options
  return startHost({
    allowRemote: options.allowRemote ?? false,
    ...(metricsAccess
      ? {
          metrics: (core) => ({
            ...createCoreMetrics(core.client({ scopes: READ_SCOPES, transport: 'http' }), '9.9.9'),
            access: metricsAccess
          })
        }
      : {})
  })
}

describe('headless host', () => {
  it('answers 401 to a request without a token, and to one with a wrong token', async () => {
    const { host } = await start()
    expect((await http(`${host.origin}/`)).status).toBe(401)
    expect((await http(`${host.origin}/api/call/app.info`, { method: 'POST' })).status).toBe(401)
    expect((await http(`${host.origin}/api/call/app.info`, { method: 'POST', headers: bearer('wrong') })).status).toBe(
      401
    )
    const urlToken = await http(`${host.origin}/?token=wrong`)
    expect(urlToken.status).toBe(401)
    expect(urlToken.body).toMatch(/not valid for this run/)
  })

  it('trades a URL token for an HttpOnly session cookie and drops the token from the address', async () => {
    const { host } = await start()
    const exchange = await http(`${host.url}#/settings`)
    expect(exchange.status).toBe(303)
    expect(exchange.headers.location).toBe('/')
    const cookie = String(exchange.headers['set-cookie'])
    expect(cookie).toMatch(/^kos_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\//)

    const page = await http(`${host.origin}/`, { headers: { Cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.body.indexOf('web-bridge.js')).toBeLessThan(page.body.indexOf('assets/app.js'))
  })

  it('serves the contract over HTTP with a bearer token and maps errors to statuses', async () => {
    const { host } = await start()
    const ok = await http(`${host.origin}/api/call/app.info`, {
      method: 'POST',
      headers: bearer(host.access.fullToken),
      body: '{}'
    })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { version: '0.0.0-test' } })

    const bad = await http(`${host.origin}/api/call/config.set`, {
      method: 'POST',
      headers: bearer(host.access.fullToken),
      body: '{"key": 5}'
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })

    const notJson = await http(`${host.origin}/api/call/config.set`, {
      method: 'POST',
      headers: bearer(host.access.fullToken),
      body: '{oops'
    })
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'bad_request' } })

    const unknown = await http(`${host.origin}/api/call/nope.nothing`, {
      method: 'POST',
      headers: bearer(host.access.fullToken)
    })
    expect(unknown.status).toBe(404)
  })

  it('answers 403 to a read-only token on a write call, and serves it reads', async () => {
    const { host } = await start()
    const read = await http(`${host.origin}/api/call/config.get`, {
      method: 'POST',
      headers: bearer(host.access.readOnlyToken)
    })
    expect(read.status).toBe(200)
    const write = await http(`${host.origin}/api/call/config.set`, {
      method: 'POST',
      headers: bearer(host.access.readOnlyToken),
      body: JSON.stringify({ key: 'log.level', value: 'debug' })
    })
    expect(write.status).toBe(403)
    expect(JSON.parse(write.body)).toMatchObject({ ok: false, error: { code: 'forbidden', call: 'config.set' } })
  })

  it('refuses requests addressed to another host name (DNS rebinding) unless remote access is on', async () => {
    const { host } = await start()
    const rebound = await http(`${host.origin}/api/session`, {
      headers: { ...bearer(host.access.fullToken), Host: `evil.example:${new URL(host.origin).port}` }
    })
    expect(rebound.status).toBe(421)
  })

  it('carries calls over the WebSocket and answers malformed frames with typed errors', async () => {
    const { host } = await start()
    const ws = await openSocket(`${host.origin.replace('http', 'ws')}/rpc`, bearer(host.access.fullToken))

    ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', input: {} }))
    expect(await nextMessage(ws)).toMatchObject({ type: 'result', id: 1, result: { ok: true } })

    ws.send('{not json')
    expect(await nextMessage(ws)).toMatchObject({
      type: 'result',
      id: null,
      result: { ok: false, error: { code: 'bad_request' } }
    })

    ws.send(JSON.stringify({ type: 'call', id: 2, name: 'config.set', input: { key: 'log.level' } }))
    expect(await nextMessage(ws)).toMatchObject({ id: 2, result: { ok: false, error: { code: 'invalid_input' } } })

    ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await nextMessage(ws)).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad_request' } } })

    ws.send(JSON.stringify({ type: 'call', id: 3, name: 'app.info', input: {} }))
    expect(await nextMessage(ws)).toMatchObject({ id: 3, result: { ok: true } })
    ws.close()
  })

  it('pushes events to every connected client', async () => {
    const { host } = await start()
    const watcher = await openSocket(`${host.origin.replace('http', 'ws')}/rpc`, bearer(host.access.readOnlyToken))
    const writer = await openSocket(`${host.origin.replace('http', 'ws')}/rpc`, bearer(host.access.fullToken))
    const pushed = nextMessage(watcher, (f) => f.name === 'config.changed')
    writer.send(
      JSON.stringify({ type: 'call', id: 1, name: 'config.set', input: { key: 'log.level', value: 'debug' } })
    )
    expect(await pushed).toMatchObject({ type: 'event', name: 'config.changed', payload: { profile: 'balanced' } })
    watcher.close()
    writer.close()
  })

  it('refuses a WebSocket without credentials or from a foreign origin', async () => {
    const { host } = await start()
    const wsUrl = `${host.origin.replace('http', 'ws')}/rpc`
    await expect(openSocket(wsUrl, {})).rejects.toThrow('status 401')
    await expect(
      openSocket(wsUrl, { ...bearer(host.access.fullToken), Origin: 'https://evil.example' })
    ).rejects.toThrow('status 403')
  })

  it('does not serve files outside the renderer folder', async () => {
    const { host } = await start()
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%00x']) {
      expect((await http(`${host.origin}${path}`, { headers: bearer(host.access.fullToken) })).status).toBe(404)
    }
  })
})

describe('metrics endpoint', () => {
  it('serves Prometheus text that a Prometheus parser reads, with the app’s real numbers', async () => {
    const { core, host } = await start({ metricsAccess: 'token' })
    await core.dispatcher.call(
      'tasks.create',
      { title: 'Count me', description: 'A task to be counted by the metrics.' },
      { scopes: new Set(['read', 'write']), transport: 'http' }
    )
    expect((await http(`${host.origin}/metrics`)).status).toBe(401)
    const reply = await http(`${host.origin}/metrics`, { headers: bearer(host.access.readOnlyToken) })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const { default: parse } = await import('parse-prometheus-text-format')
    const families = new Map(parse(reply.body).map((f) => [f.name, f]))
    expect(families.get('kos_info')?.metrics[0]).toMatchObject({ value: '1', labels: { version: '9.9.9' } })
    expect(families.get('kos_tasks')?.metrics.find((m) => m.labels?.status === 'pending')?.value).toBe('1')
    expect(families.get('kos_tasks')?.type).toBe('GAUGE')
    expect(families.get('kos_scrape_errors_total')?.type).toBe('COUNTER')
  })

  it('lets programs on this machine scrape without a token when set to loopback', async () => {
    const { host } = await start({ metricsAccess: 'loopback' })
    expect((await http(`${host.origin}/metrics`)).status).toBe(200)
  })
})
