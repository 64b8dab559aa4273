import { EventEmitter } from 'node:events'
import type { AppUpdater } from 'electron-updater'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '../log/logger'
import type { UpdateMenuEntry } from './update-policy'
import { startUpdater } from './updater'

const log: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => log
}

/** electron-updater's AppUpdater as the shell uses it: events, a feed, a check, an install. */
class FakeUpdater extends EventEmitter {
  feeds: unknown[] = []
  checks = 0
  installs = 0
  autoDownload = false
  autoInstallOnAppQuit = false
  logger: unknown = null
  setFeedURL(feed: unknown): void {
    this.feeds.push(feed)
  }
  async checkForUpdates(): Promise<null> {
    this.checks++
    return null
  }
  quitAndInstall(): void {
    this.installs++
  }
}

const stops: (() => void)[] = []
afterEach(() => stops.splice(0).forEach((stop) => stop()))

function setup(options: { packaged?: boolean; provider?: 'off' | 'generic' | 'github'; running?: number } = {}) {
  const fake = new FakeUpdater()
  const settings = { provider: options.provider ?? 'generic', url: 'https://updates.example.org/kos' }
  const configListeners: (() => void)[] = []
  const entries: (UpdateMenuEntry | null)[] = []
  let beforeInstall = 0
  const updater = startUpdater({
    packaged: options.packaged ?? true,
    settings: () => ({ ...settings }),
    onConfigChange: (listener) => void configListeners.push(listener),
    updater: () => fake as unknown as AppUpdater,
    log,
    runningTasks: async () => options.running ?? 0,
    confirmRestart: async () => 'cancel',
    beforeInstall: () => void beforeInstall++,
    onChange: (entry) => void entries.push(entry)
  })
  stops.push(updater.stop)
  return {
    fake,
    settings,
    entries,
    updater,
    changeConfig: () => configListeners.forEach((l) => l()),
    beforeInstall: () => beforeInstall
  }
}

describe('electron-updater, wired to the update policy', () => {
  it('sets the feed from the settings and checks at start, downloading in the background', () => {
    const { fake } = setup()
    expect(fake.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.org/kos' }])
    expect(fake.checks).toBe(1)
    expect(fake.autoDownload).toBe(true)
  })

  it('turns electron-updater’s events into the menus’ Restart to Update, and installs on the person’s restart', async () => {
    const { fake, entries, updater, beforeInstall } = setup()
    fake.emit('update-available', { version: '1.2.0' })
    fake.emit('download-progress', { percent: 50 })
    expect(entries.at(-1)).toEqual({ label: 'Downloading Update 1.2.0 (50%)…', enabled: false, action: null })
    fake.emit('update-downloaded', { version: '1.2.0' })
    expect(entries.at(-1)).toEqual({ label: 'Restart to Update (1.2.0)', enabled: true, action: 'restart' })
    await updater.policy().restartRequested()
    expect(fake.installs).toBe(1)
    expect(beforeInstall()).toBe(1)
  })

  it('does not install over running tasks when the person cancels', async () => {
    const { fake, updater } = setup({ running: 2 })
    fake.emit('update-downloaded', { version: '1.2.0' })
    await updater.policy().restartRequested()
    expect(fake.installs).toBe(0)
  })

  it('checks again only when the feed changes, not on every setting saved', () => {
    const { fake, settings, changeConfig } = setup()
    changeConfig()
    expect(fake.checks).toBe(1)
    settings.url = 'https://mirror.example.org/kos'
    changeConfig()
    expect(fake.feeds.at(-1)).toEqual({ provider: 'generic', url: 'https://mirror.example.org/kos' })
    expect(fake.checks).toBe(2)
  })

  it('stays off, touching nothing, from source or with updates off', () => {
    for (const options of [{ packaged: false }, { provider: 'off' as const }]) {
      const { fake, entries } = setup(options)
      expect(fake.feeds).toEqual([])
      expect(fake.checks).toBe(0)
      expect(entries.at(-1)).toBeNull()
    }
  })
})
