import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, dialog, ipcMain, Menu, Notification, powerMonitor, shell, Tray, type BrowserWindow } from 'electron'
import { APP_IDENTITY } from '../../shared/app-identity'
import { IPC_CHANNELS } from '../../shared/contract/wire'
import { startCore, type Core } from '../app/start-core'
import { parseArgs } from '../config/cli-args'
import { currentPlatform } from '../platform/data-dir'
import { appMenu } from './app-menu'
import { watchCoreStatus } from './core-status'
import { bindIpcHost, rendererUrlMatcher } from './ipc-host'
import { createMainWindow } from './main-window'
import { safeStorageCipher } from './safe-storage-cipher'
import { createNotifier } from './notifier'
import { INITIAL_STATUS, type ShellActions } from './shell-status'
import { createTrayController, trayIconPath } from './tray-controller'
import type { CallResult } from '../../shared/contract/rpc-error'
import { FULL_SCOPES, READ_SCOPES } from '../rpc/in-process-client'
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

function startCoreForDesktop(): Core | null {
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
  dialog.showErrorBox(`${APP_IDENTITY.productName} cannot start`, started.error.message)
  return null
}

function run(core: Core): void {
  const info = core.info()
  let win: BrowserWindow | null = null

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

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenu({
        productName: APP_IDENTITY.productName,
        platform: process.platform,
        dev: !app.isPackaged,
        actions: {
          navigate,
          openDataFolder: () => void shell.openPath(info.dataDir),
          openLogFolder: () => void shell.openPath(dirname(info.logFile))
        }
      }) as Electron.MenuItemConstructorOptions[]
    )
  )

  const applyOpenAtLogin = (): void => {
    if (process.platform === 'darwin' || process.platform === 'win32') app.setLoginItemSettings({ openAtLogin: core.config.get('app.openAtLogin') })
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
    restartOllama: () => showRefusal(client.call('supervisor.restart', { id: 'ollama' })),
    quit: () => app.quit()
  }
  const tray = new Tray(trayIconPath(trayDir, 'ok', process.platform))
  const trayController = createTrayController({
    tray: { setImage: (path) => tray.setImage(path), setToolTip: (t) => tray.setToolTip(t), setTitle: (t) => tray.setTitle(t), setContextMenu: (m) => tray.setContextMenu(m as Menu) },
    buildMenu: (template) => Menu.buildFromTemplate(template as Electron.MenuItemConstructorOptions[]),
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
  const stopWatching = watchCoreStatus({
    client: core.client({ scopes: READ_SCOPES }),
    onStatus: (status) => {
      trayController.update(status)
      notifier.observe(status)
      if (process.platform === 'darwin') app.dock?.setBadge(status.deferredCount > 0 ? String(status.deferredCount) : '')
    }
  })
  app.on('before-quit', stopWatching)
  // Playwright's Electron test reads the tray through this hook; it exists only when asked for.
  if (process.env.KOS_TEST_HOOKS === '1') Object.assign(globalThis, { __kosTray: { status: () => trayController.current() } })

  powerMonitor.on('resume', () => void core.onSystemResume())
  app.on('second-instance', () => void showWindow())
  app.on('activate', () => void showWindow())
  showWindow()
}

function start(): void {
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
    void core.close().finally(() => app.quit())
  })
}

start()
