import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { userSettingsPath } from '../config/user-settings-file'
import type { SecretCipher } from '../ports/secret-cipher'
import { OFFLINE_ENV } from '../test-support/offline-env'
import { useTempDirs } from '../test-support/temp-dir'
import { startCore, type Core } from './start-core'

const tempDir = useTempDirs()
const FULL = { scopes: new Set(['read', 'write'] as const), transport: 'ipc' as const }

/** A reversible stand-in for the keychain (XOR), enough to prove the URL is not stored in plain text. */
const cipher: SecretCipher = {
  name: 'Test Keychain',
  isAvailable: () => true,
  encrypt: (t) => Buffer.from(Buffer.from(t, 'utf8').map((x) => x ^ 0x5a)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8')
}

let server: Server | null = null
const paths: string[] = []
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = null
  paths.length = 0
})

async function endpoint(): Promise<string> {
  server = createServer((req, res) => {
    paths.push(req.url ?? '')
    req.resume()
    req.on('end', () => res.writeHead(200).end())
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function start(dir: string, withKeychain: boolean): Core {
  const started = startCore({
    hostKind: withKeychain ? 'electron' : 'headless',
    dataDirFlag: dir,
    cliSettings: new Map(),
    platform: { platform: process.platform, env: { ...OFFLINE_ENV }, home: dir },
    appVersion: '0.0.0-test',
    ...(withKeychain ? { secretCipher: cipher } : {})
  })
  if (!started.ok) throw new Error(started.error.message)
  return started.core
}

/** The files of the data dir (the database, its WAL, the settings file, the logs) that hold a text in plain. */
const holding = (dir: string, text: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && readFileSync(join(e.parentPath, e.name)).toString('latin1').includes(text))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))

describe('the webhook URL, which may hold a Slack secret', () => {
  it('moves from settings.json into the secrets store at start, and again when saved in Settings, and is still used', async () => {
    const base = await endpoint()
    const dir = tempDir()
    const secretPath = '/services/T0001/B0001/old-secret-token'
    writeFileSync(
      userSettingsPath(dir),
      JSON.stringify({ 'notify.webhookUrl': `${base}${secretPath}`, 'notify.webhookFormat': 'slack' })
    )
    const core = start(dir, true)
    try {
      const settings = JSON.parse(readFileSync(userSettingsPath(dir), 'utf8')) as Record<string, unknown>
      // The format stays a setting; the URL is gone from the file.
      expect(settings).toEqual({ 'notify.webhookFormat': 'slack' })
      expect(await core.dispatcher.call('notify.status', {}, FULL)).toMatchObject({
        ok: true,
        value: { configured: true, urlFrom: 'keychain' }
      })
      expect(await core.dispatcher.call('notify.test', {}, FULL)).toMatchObject({
        ok: true,
        value: { delivered: true }
      })
      // The core's own health change (no model server runs here) may be posted too: every post went there.
      expect(new Set(paths)).toEqual(new Set([secretPath]))
      const before = paths.length

      // Saved again from the Settings view: it moves at once, and the new one is used.
      const newPath = '/services/T0001/B0001/new-secret-token'
      expect(
        (await core.dispatcher.call('config.set', { key: 'notify.webhookUrl', value: `${base}${newPath}` }, FULL)).ok
      ).toBe(true)
      expect(readFileSync(userSettingsPath(dir), 'utf8')).not.toContain('secret-token')
      expect(await core.dispatcher.call('notify.test', {}, FULL)).toMatchObject({
        ok: true,
        value: { delivered: true }
      })
      expect(new Set(paths.slice(before))).toEqual(new Set([newPath]))
    } finally {
      await core.close()
    }
    // Nothing on disk holds either token in plain text: not the database, the settings file or the log.
    expect(holding(dir, 'secret-token')).toEqual([])

    // After a restart the stored URL is still the one used.
    const again = start(dir, true)
    try {
      expect(await again.dispatcher.call('notify.test', {}, FULL)).toMatchObject({
        ok: true,
        value: { delivered: true }
      })
      expect(paths.at(-1)).toBe('/services/T0001/B0001/new-secret-token')
    } finally {
      await again.close()
    }
  })

  it('stays in settings.json where no keychain can keep it, says so in the log and the status, and still works', async () => {
    const base = await endpoint()
    const dir = tempDir()
    writeFileSync(userSettingsPath(dir), JSON.stringify({ 'notify.webhookUrl': `${base}/hook` }))
    const core = start(dir, false)
    let logFile = ''
    try {
      logFile = core.info().logFile
      expect(JSON.parse(readFileSync(userSettingsPath(dir), 'utf8'))).toEqual({ 'notify.webhookUrl': `${base}/hook` })
      expect(await core.dispatcher.call('notify.status', {}, FULL)).toMatchObject({
        ok: true,
        value: { urlFrom: 'settings' }
      })
      expect(await core.dispatcher.call('notify.test', {}, FULL)).toMatchObject({
        ok: true,
        value: { delivered: true }
      })
    } finally {
      await core.close()
    }
    const warnings = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('webhook URL kept in the settings file: no keychain here'))
    expect(warnings).toHaveLength(1)
  })
})
