import { BrowserWindow, dialog, screen, shell, type WebContents } from 'electron'
import { openExternalSafely } from './external-links'
import { loadWindowState, placeWindow, saveWindowState } from './window-state'

/**
 * The app window, configured along Electron's security checklist: isolated
 * context, sandboxed renderer, no Node in the page, no navigation away and
 * no new windows; links open in the browser after the person agrees. Its
 * size and position are kept in the data dir and restored on a display that
 * still exists.
 */
export function createMainWindow(options: {
  preload: string
  load: (win: BrowserWindow) => Promise<void>
  title: string
  dataDir: string
}): BrowserWindow {
  const placed = placeWindow(
    loadWindowState(options.dataDir),
    screen.getAllDisplays().map((d) => d.workArea)
  )
  const win = new BrowserWindow({
    ...placed.bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: options.title,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  if (placed.maximized) win.maximize()
  guardContents(win)
  win.once('ready-to-show', () => win.show())
  win.on('close', () =>
    saveWindowState(options.dataDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() })
  )
  void options.load(win)
  return win
}

function guardContents(win: BrowserWindow): void {
  const contents: WebContents = win.webContents
  const initial = (): string => contents.getURL()
  contents.on('will-navigate', (event, url) => {
    if (url !== initial()) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url, {
      confirm: async (href) =>
        (
          await dialog.showMessageBox(win, {
            type: 'question',
            buttons: ['Open in Browser', 'Cancel'],
            defaultId: 0,
            cancelId: 1,
            message: 'Open this link in your browser?',
            detail: href
          })
        ).response === 0,
      open: (href) => shell.openExternal(href)
    })
    return { action: 'deny' }
  })
}
