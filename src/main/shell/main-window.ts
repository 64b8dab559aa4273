import { BrowserWindow, shell, type WebContents } from 'electron'

/**
 * The app window, configured along Electron's security checklist: isolated
 * context, sandboxed renderer, no Node in the page, and no way to navigate
 * away or open new windows from inside it.
 */
export function createMainWindow(options: { preload: string; load: (win: BrowserWindow) => Promise<void>; title: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
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
  guardContents(win.webContents)
  win.once('ready-to-show', () => win.show())
  void options.load(win)
  return win
}

function guardContents(contents: WebContents): void {
  const initial = (): string => contents.getURL()
  contents.on('will-navigate', (event, url) => {
    if (url !== initial()) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
