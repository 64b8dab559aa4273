import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startTestCore } from '../test-support/running-core'
import { useTempDirs } from '../test-support/temp-dir'

const tempDir = useTempDirs()
const FULL = { scopes: new Set(['read', 'write'] as const), transport: 'ipc' as const }

describe('the webhook in a running core', () => {
  it('sends the test call and an open circuit to the URL from RECOVERY_WEBHOOK_URL, in the format chosen in settings', async () => {
    const bodies: string[] = []
    const arrivals: (() => void)[] = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString('utf8')))
      req.on('end', () => {
        bodies.push(body)
        res.writeHead(200).end()
        arrivals.shift()?.()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack`
    const core = startTestCore(tempDir(), { env: { RECOVERY_WEBHOOK_URL: url } })
    try {
      expect((await core.dispatcher.call('config.set', { key: 'notify.webhookFormat', value: 'slack' }, FULL)).ok).toBe(
        true
      )
      const test = await core.dispatcher.call('notify.test', {}, FULL)
      expect(test).toEqual({ ok: true, value: { delivered: true, status: 200, attempts: 1, error: null } })
      expect(JSON.parse(bodies[0] ?? '')).toEqual({
        text: expect.stringContaining('*Knowledge OS: test notification*') as unknown
      })

      // A health change is told only once it held (the core's own monitor reports too, with no model server
      // here), so the event told at once is the first open circuit.
      const ours = ':rotating_light: *Circuit open: ollama-local (llama3.2:3b)*\ndatabase: disk full'
      core.events.emit('models.circuitChanged', {
        node: 'ollama-local',
        model: 'llama3.2:3b',
        from: 'closed',
        to: 'open',
        circuit: {
          node: 'ollama-local',
          model: 'llama3.2:3b',
          state: 'open',
          reason: 'database: disk full',
          errorType: 'connection_error',
          openedAt: new Date().toISOString(),
          nextProbeAt: null,
          lastProbeFailure: null
        }
      })
      while (!bodies.some((b) => b.includes('database: disk full')))
        await new Promise<void>((resolve) => arrivals.push(resolve))
      expect(bodies.map((b) => (JSON.parse(b) as { text: string }).text)).toContainEqual(expect.stringContaining(ours))
      const status = await core.dispatcher.call('notify.status', {}, { ...FULL, scopes: new Set(['read'] as const) })
      expect(status).toMatchObject({ ok: true, value: { configured: true, format: 'slack', failed: 0, dropped: 0 } })
    } finally {
      await core.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('refuses a webhook URL that is not http(s), naming the setting, and keeps the old value', async () => {
    const core = startTestCore(tempDir())
    try {
      const refused = await core.dispatcher.call(
        'config.set',
        { key: 'notify.webhookUrl', value: 'ftp://example.invalid/x' },
        FULL
      )
      expect(refused.ok).toBe(false)
      if (!refused.ok) expect(refused.error.message).toMatch(/notify\.webhookUrl/)
      expect(core.config.get('notify.webhookUrl')).toBe('')
    } finally {
      await core.close()
    }
  })
})
