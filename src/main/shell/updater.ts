import type { AppUpdater } from 'electron-updater'
import type { Logger } from '../log/logger'
import {
  createUpdatePolicy,
  updateFeed,
  type RestartChoice,
  type UpdateMenuEntry,
  type UpdatePolicy
} from './update-policy'

export const UPDATE_TICK_MS = 60 * 60 * 1000

/**
 * Wires electron-updater to the update policy: the policy decides when to
 * check and when a restart may happen; electron-updater downloads in the
 * background and installs. From source (not packaged) updates are off: there
 * is no signed bundle to replace.
 */
export function startUpdater(options: {
  packaged: boolean
  settings: () => { provider: 'off' | 'generic' | 'github'; url: string }
  onConfigChange: (listener: () => void) => void
  updater: () => AppUpdater
  log: Logger
  runningTasks: () => Promise<number>
  confirmRestart: (version: string, running: number) => Promise<RestartChoice>
  beforeInstall: () => void
  /** The menus' update item changed (tray and app menu). */
  onChange: (entry: UpdateMenuEntry | null) => void
}): { policy: () => UpdatePolicy; stop: () => void } {
  const { log } = options
  let policy: UpdatePolicy
  let wired: AppUpdater | null = null
  const notify = (): void => options.onChange(policy.menuEntry())

  const configure = (): void => {
    const { provider, url } = options.settings()
    const feed = updateFeed(provider, url)
    const off = !options.packaged
      ? 'updates apply to the packaged app only, not one run from source'
      : 'off' in feed
        ? feed.off
        : undefined
    policy = createUpdatePolicy({
      now: () => Date.now(),
      onChange: notify,
      ...(off ? { off } : {}),
      actions: {
        check: () =>
          void wired
            ?.checkForUpdates()
            .catch((error: unknown) => policy.failed(error instanceof Error ? error.message : String(error))),
        install: () => {
          options.beforeInstall()
          wired?.quitAndInstall()
        },
        runningTasks: options.runningTasks,
        confirmRestart: options.confirmRestart
      }
    })
    if (off || 'off' in feed) {
      log.info('updates off', { reason: off })
      notify()
      return
    }
    wired ??= wire(options.updater(), () => policy, log)
    wired.setFeedURL(feed)
    log.info('updates on', { feed })
    notify()
    policy.tick()
  }

  let feedKey = JSON.stringify(options.settings())
  configure()
  options.onConfigChange(() => {
    const next = JSON.stringify(options.settings())
    const kind = policy.state().kind
    // Only a changed feed matters; a download under way or waiting keeps its policy, and a new feed applies after the restart.
    if (next === feedKey || kind === 'downloading' || kind === 'ready' || kind === 'waiting-for-tasks') return
    feedKey = next
    configure()
  })
  const timer = setInterval(() => policy.tick(), UPDATE_TICK_MS)
  timer.unref()
  return { policy: () => policy, stop: () => clearInterval(timer) }
}

function wire(updater: AppUpdater, policy: () => UpdatePolicy, log: Logger): AppUpdater {
  updater.autoDownload = true
  // Quitting is the person's own choice to stop the running tasks, so a downloaded update installs then.
  updater.autoInstallOnAppQuit = true
  updater.logger = {
    info: (m: unknown) => log.info('updater', { message: String(m) }),
    warn: (m: unknown) => log.warn('updater', { message: String(m) }),
    error: (m: unknown) => log.error('updater', { message: String(m) }),
    debug: (m: string) => log.debug('updater', { message: m })
  }
  updater.on('checking-for-update', () => policy().checking())
  updater.on('update-available', (info) => policy().available(info.version))
  updater.on('update-not-available', () => policy().notAvailable())
  updater.on('download-progress', (progress) => policy().progress(progress.percent))
  updater.on('update-downloaded', (info) => policy().downloaded(info.version))
  updater.on('error', (error) => policy().failed(error.message))
  return updater
}
