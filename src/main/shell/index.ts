import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  dialog,
  ipcMain,
  Menu,
  Notification,
  powerMonitor,
  session,
  shell,
  Tray,
  type BrowserWindow
} from 'electron'
import { autoUpdater } from 'electron-updater'
import { APP_IDENTITY } from '../../shared/app-identity'
import { IPC_CHANNELS } from '../../shared/contract/wire'
import { startCore, type Core } from '../app/start-core'
import { parseArgs } from '../config/cli-args'
import { currentPlatform, resolveDataDir } from '../platform/data-dir'
import { appMenu } from './app-menu'
import { watchCoreStatus } from './core-status'
import { bindIpcHost, rendererUrlMatcher } from './ipc-host'
import { createMainWindow } from './main-window'
import { safeStorageCipher } from './safe-storage-cipher'
import { startupHint } from './startup-hint'
import { createNotifier } from './notifier'
import { denyAllPermissions } from './permissions'
import { QUIT_DEADLINE_MS, stopWithin } from './quit-deadline'
import { INITIAL_STATUS, type ShellActions } from './shell-status'
import { createTrayController, trayIconPath } from './tray-controller'
import type { EventPayload } from '../../shared/contract/contract'
import type { CallResult } from '../../shared/contract/rpc-error'
import { valueOrNull } from '../../shared/contract/client'
import { FULL_SCOPES, READ_SCOPES } from '../rpc/in-process-client'
import type { MenuItemSpec } from './tray-menu'
import type { UpdateMenuEntry } from './update-policy'
import { startUpdater } from './updater'
import { version as appVersion } from '../../../package.json'

// The Electron shell: window, menu, IPC binding and lifecycle. All behaviour
// lives in the core; this file only wires it to Electron.

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html')
/** Packaged: Resources/tray (extraResources); from source: resources/tray in the project. */
const trayDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(__dirname, '..', '..', 'resources', 'tray')
const devServerUrl = process.env.ELECTRON_RENDERER_URL

/**
 * better-sqlite3 in node_modules is built for Node's ABI (tests run there);
 * `npm start` builds a copy for Electron's ABI and names it here. A packaged
 * app has its native modules rebuilt for Electron and needs no override.
 */
function electronSqliteBinding(): string | undefined {
  const candidate = process.env.KOS_SQLITE_BINDING
  return candidate && existsSync(candidate) ? candidate : undefined
}

/** Start-up failures go to stderr too: under a test or a terminal a modal box alone would hang unseen. */
function refuseToStart(cause: string): null {
  const message = `${cause}${startupHint(cause, app.isPackaged)}`
  process.stderr.write(`${APP_IDENTITY.productName} cannot start: ${message}\n`)
  if (process.env.KOS_TEST_HOOKS !== '1') dialog.showErrorBox(`${APP_IDENTITY.productName} cannot start`, message)
  return null
}

function startCoreForDesktop(): Core | null {
  try {
    return startCoreOrRefuse()
  } catch (error) {
    // A native module that cannot load may throw before startCore can type the failure.
    return refuseToStart(error instanceof Error ? error.message : String(error))
  }
}

function startCoreOrRefuse(): Core | null {
  const parsed = parseArgs(process.argv.slice(app.isPackaged ? 1 : 2), false)
  const args = parsed.ok ? parsed.args : undefined
  const nativeBinding = electronSqliteBinding()
  const started = startCore({
    hostKind: 'electron',
    ...(args?.dataDir ? { dataDirFlag: args.dataDir } : {}),
    cliSettings: args?.settings ?? new Map(),
    platform: currentPlatform(),
    appVersion,
    secretCipher: safeStorageCipher(process.platform),
    ...(nativeBinding ? { nativeBinding } : {})
  })
  if (started.ok) return started.core
  return refuseToStart(started.error.message)
}

function run(core: Core): void {
  const info = core.info()
  let win: BrowserWindow | null = null
  denyAllPermissions(session.defaultSession, core.log)

  bindIpcHost({
    ipcMain,
    dispatcher: core.dispatcher,
    log: core.log,
    trustedUrl: rendererUrlMatcher(pathToFileURL(rendererIndex).href, devServerUrl)
  })

  const showWindow = (): BrowserWindow => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore()
      win.show()
      win.focus()
      return win
    }
    const created = createMainWindow({
      title: APP_IDENTITY.productName,
      dataDir: info.dataDir,
      preload: join(__dirname, '..', 'preload', 'index.js'),
      load: (w) => (devServerUrl ? w.loadURL(devServerUrl) : w.loadFile(rendererIndex))
    })
    const unsubscribe = core.events.subscribe((frame) => {
      if (!created.isDestroyed()) created.webContents.send(IPC_CHANNELS.event, frame)
    })
    created.on('closed', () => {
      unsubscribe()
      win = null
    })
    win = created
    return created
  }

  const navigate = (view: string): void => {
    const target = showWindow()
    const send = (): void => core.events.emit('app.navigate', { view })
    if (target.webContents.isLoading()) target.webContents.once('did-finish-load', send)
    else send()
  }

  let runUpdate: (action: 'check' | 'restart') => void = () => undefined
  const setAppMenu = (update: UpdateMenuEntry | null): void =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenu({
          productName: APP_IDENTITY.productName,
          platform: process.platform,
          dev: !app.isPackaged,
          update,
          actions: {
            navigate,
            openDataFolder: () => void shell.openPath(info.dataDir),
            openLogFolder: () => void shell.openPath(dirname(info.logFile)),
            update: (action) => runUpdate(action)
          }
        }) as Electron.MenuItemConstructorOptions[]
      )
    )
  setAppMenu(null)

  const applyOpenAtLogin = (): void => {
    if (process.platform === 'darwin' || process.platform === 'win32')
      app.setLoginItemSettings({ openAtLogin: core.config.get('app.openAtLogin') })
  }
  applyOpenAtLogin()
  core.config.onChange(applyOpenAtLogin)

  // The tray and the notifications act through the contract, the path a click in the window takes.
  const client = core.client({ scopes: FULL_SCOPES })
  const showRefusal = (pending: Promise<CallResult<unknown>>): void => {
    void pending.then((result) => {
      if (!result.ok) dialog.showErrorBox(APP_IDENTITY.productName, result.error.message)
    })
  }
  const actions: ShellActions = {
    open: (view) => (view ? navigate(view) : void showWindow()),
    pauseAutoprocessing: () => showRefusal(client.call('tasks.pause', {})),
    resumeAutoprocessing: () => showRefusal(client.call('tasks.resume', {})),
    returnDeferredToAutoprocessing: () => showRefusal(client.call('tasks.requeue', { all: true })),
    decideAllApprovals: (verdict) => showRefusal(client.call('approvals.decide', { verdict, all: true })),
    restartOllama: () => showRefusal(client.call('supervisor.restart', { id: 'ollama' })),
    update: (action) => runUpdate(action),
    quit: () => app.quit()
  }
  const tray = new Tray(trayIconPath(trayDir, INITIAL_STATUS.level, process.platform))
  let lastTrayMenu: MenuItemSpec[] = []
  const trayController = createTrayController({
    tray: {
      setImage: (path) => tray.setImage(path),
      setToolTip: (t) => tray.setToolTip(t),
      setTitle: (t) => tray.setTitle(t),
      setContextMenu: (m) => tray.setContextMenu(m as Menu)
    },
    buildMenu: (template) => {
      lastTrayMenu = template
      return Menu.buildFromTemplate(template as Electron.MenuItemConstructorOptions[])
    },
    trayDir,
    platform: process.platform,
    actions,
    initial: INITIAL_STATUS
  })
  const notifier = createNotifier({
    now: () => Date.now(),
    minIntervalMs: 60_000,
    show: (n) => {
      if (!Notification.isSupported()) return
      const notification = new Notification({ title: n.title, body: n.body })
      notification.on('click', () => navigate(n.view))
      notification.show()
    }
  })
  // The usage ledger sends a passed budget once per period: each one is shown, not folded like health.
  const stopBudgetNotices = core.events.subscribe((frame) => {
    if (frame.name !== 'usage.budgetExceeded' || !Notification.isSupported()) return
    const alert = frame.payload as EventPayload<'usage.budgetExceeded'>
    const notification = new Notification({
      title: `Token budget passed this ${alert.period}`,
      body: `${alert.tokens.toLocaleString()} tokens since ${alert.start}, over the budget of ${alert.budget.toLocaleString()}.`
    })
    notification.on('click', () => navigate('usage'))
    notification.show()
  })
  app.on('before-quit', stopBudgetNotices)
  const stopWatching = watchCoreStatus({
    client: core.client({ scopes: READ_SCOPES }),
    onStatus: (status) => {
      trayController.update(status)
      notifier.observe(status)
      if (process.platform === 'darwin')
        app.dock?.setBadge(status.deferredCount > 0 ? String(status.deferredCount) : '')
    }
  })
  app.on('before-quit', stopWatching)

  const runningTasks = async (): Promise<number> => {
    const counters = valueOrNull(await core.client({ scopes: READ_SCOPES }).call('tasks.counters', {}))
    return counters?.byStatus.in_progress ?? 0
  }
  const updates = startUpdater({
    packaged: app.isPackaged,
    settings: () => ({ provider: core.config.get('updates.provider'), url: core.config.get('updates.url') }),
    onConfigChange: (listener) => void core.config.onChange(listener),
    updater: () => autoUpdater,
    log: core.log,
    runningTasks,
    confirmRestart: async (version, running) => {
      const { response } = await dialog.showMessageBox({
        type: 'question',
        buttons: ['Restart When They Finish', `Stop ${running} and Restart Now`, 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        message: `${running} task${running === 1 ? ' is' : 's are'} running. Restart to update to ${version}?`,
        detail:
          'Tasks stopped now are taken again after the restart. Waiting lets them finish first; the update installs as soon as none is running.'
      })
      return (['when-idle', 'now', 'cancel'] as const)[response] ?? 'cancel'
    },
    beforeInstall: () => stopWatching(),
    onChange: (entry) => {
      trayController.setUpdate(entry)
      setAppMenu(entry)
    }
  })
  runUpdate = (action) => (action === 'check' ? updates.policy().checkNow() : void updates.policy().restartRequested())
  const offTasks = core.client({ scopes: READ_SCOPES }).on('tasks.changed', () => void updates.policy().tasksChanged())
  app.on('before-quit', () => {
    offTasks()
    updates.stop()
  })

  // Playwright's Electron test and the shell smoke test drive the tray through this hook; it exists only when asked for.
  if (process.env.KOS_TEST_HOOKS === '1') {
    Object.assign(globalThis, {
      __kosTray: {
        status: () => trayController.current(),
        click: (label: string) => lastTrayMenu.find((item) => item.label?.startsWith(label))?.click?.()
      }
    })
  }

  powerMonitor.on('resume', () => {
    void core.onSystemResume()
    updates.policy().tick()
  })
  app.on('second-instance', () => void showWindow())
  app.on('activate', () => void showWindow())
  showWindow()
}

/**
 * One data dir is one instance. Electron keeps its profile (and its
 * single-instance lock) in userData, which is the default data dir on the Mac;
 * an app started on another data dir (`--data-dir`, KOS_DATA_DIR: a test, a
 * second corporation) gets its own profile inside it, so it neither shares
 * the usual app's cookies and storage nor quits because that app is open.
 */
function useProfileOfDataDir(): void {
  const parsed = parseArgs(process.argv.slice(app.isPackaged ? 1 : 2), false)
  const dataDir = resolveDataDir(parsed.ok ? parsed.args.dataDir : undefined, currentPlatform())
  if (dataDir.source.kind !== 'default') app.setPath('userData', join(dataDir.path, 'electron-profile'))
}

function start(): void {
  useProfileOfDataDir()
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  let core: Core | null = null

  app
    .whenReady()
    .then(() => {
      core = startCoreForDesktop()
      if (!core) app.exit(1)
      else run(core)
    })
    .catch((error: unknown) => {
      dialog.showErrorBox(`${APP_IDENTITY.productName} failed`, String(error))
      app.exit(1)
    })

  // On the Mac the app lives on in the menu bar when its window closes.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let quitting = false
  app.on('will-quit', (event) => {
    if (quitting || !core) return
    event.preventDefault()
    quitting = true
    const { log } = core
    void stopWithin(() => (core as Core).close(), { deadlineMs: QUIT_DEADLINE_MS, log }).then((outcome) => {
      // Past the deadline app.quit() could wait on what hangs; exit() does not.
      if (outcome === 'deadline') app.exit(0)
      else app.quit()
    })
  })
}

start()
