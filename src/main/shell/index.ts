import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, dialog, ipcMain } from 'electron'
import { APP_IDENTITY } from '../../shared/app-identity'
import { IPC_CHANNELS } from '../../shared/contract/wire'
import { startCore, type Core } from '../app/start-core'
import { parseArgs } from '../config/cli-args'
import { currentPlatform } from '../platform/data-dir'
import { bindIpcHost, rendererUrlMatcher } from './ipc-host'
import { createMainWindow } from './main-window'
import { version as appVersion } from '../../../package.json'

// The Electron shell: window, IPC binding and lifecycle. All behaviour lives
// in the core; this file only wires it to Electron.

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html')
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

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  let core: Core | undefined

  app.whenReady().then(() => {
    const parsed = parseArgs(process.argv.slice(app.isPackaged ? 1 : 2), false)
    const args = parsed.ok ? parsed.args : undefined
    const nativeBinding = electronSqliteBinding()
    const started = startCore({
      hostKind: 'electron',
      ...(args?.dataDir ? { dataDirFlag: args.dataDir } : {}),
      cliSettings: args?.settings ?? new Map(),
      platform: currentPlatform(),
      appVersion,
      ...(nativeBinding ? { nativeBinding } : {})
    })
    if (!started.ok) {
      dialog.showErrorBox(`${APP_IDENTITY.productName} cannot start`, started.error.message)
      app.exit(1)
      return
    }
    const running = started.core
    core = running
    bindIpcHost({
      ipcMain,
      dispatcher: running.dispatcher,
      log: running.log,
      trustedUrl: rendererUrlMatcher(pathToFileURL(rendererIndex).href, devServerUrl)
    })
    const win = createMainWindow({
      title: APP_IDENTITY.productName,
      preload: join(__dirname, '..', 'preload', 'index.js'),
      load: (w) => (devServerUrl ? w.loadURL(devServerUrl) : w.loadFile(rendererIndex))
    })
    const unsubscribe = running.events.subscribe((frame) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, frame)
    })
    win.on('closed', unsubscribe)
    app.on('second-instance', () => {
      if (win.isDestroyed()) return
      if (win.isMinimized()) win.restore()
      win.focus()
    })
  }).catch((error: unknown) => {
    dialog.showErrorBox(`${APP_IDENTITY.productName} failed`, String(error))
    app.exit(1)
  })

  app.on('window-all-closed', () => app.quit())
  let quitting = false
  app.on('will-quit', (event) => {
    if (quitting || !core) return
    event.preventDefault()
    quitting = true
    void core.close().finally(() => app.quit())
  })
}

start()
