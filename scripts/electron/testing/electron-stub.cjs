// A stand-in for the `electron` module, for loading the built shell under
// plain Node: it records what the shell asks of Electron and lets a driver
// play Electron's part (ready, menu clicks, quit). Nothing here draws.
const { EventEmitter } = require('node:events')

const calls = { windows: [], trays: [], appMenus: [], errorBoxes: [], quit: [], permissionHandlers: {} }
const app = new EventEmitter()
let markReady
const ready = new Promise((resolve) => (markReady = resolve))
Object.assign(app, {
  isPackaged: false,
  whenReady: () => ready,
  requestSingleInstanceLock: () => true,
  getVersion: () => '0.0.0-stub',
  getName: () => 'Knowledge OS Control Center',
  paths: {},
  getPath: (name) => app.paths[name] ?? `/nonexistent/${name}`,
  setPath: (name, path) => (app.paths[name] = path),
  setLoginItemSettings: () => undefined,
  dock: { setBadge: () => undefined },
  quit: () => {
    calls.quit.push({ kind: 'quit', at: Date.now() })
    app.emit('quit-called')
  },
  exit: (code) => {
    calls.quit.push({ kind: 'exit', code, at: Date.now() })
    app.emit('quit-called')
  }
})

class WebContents extends EventEmitter {
  constructor() {
    super()
    this.sent = []
  }
  send(channel, payload) {
    this.sent.push({ channel, payload })
  }
  isLoading() {
    return false
  }
  getURL() {
    return this.url ?? ''
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.options = options
    this.webContents = new WebContents()
    this.destroyed = false
    calls.windows.push(this)
  }
  loadFile(file) {
    this.webContents.url = `file://${file}`
    return Promise.resolve()
  }
  loadURL(url) {
    this.webContents.url = url
    return Promise.resolve()
  }
  isDestroyed() {
    return this.destroyed
  }
  isMinimized() {
    return false
  }
  isMaximized() {
    return false
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1200, height: 800 }
  }
  maximize() {}
  restore() {}
  show() {}
  focus() {}
}

class Tray {
  constructor(image) {
    this.images = [image]
    this.tooltips = []
    this.menus = []
    calls.trays.push(this)
  }
  setImage(image) {
    this.images.push(image)
  }
  setToolTip(text) {
    this.tooltips.push(text)
  }
  setTitle(title) {
    this.title = title
  }
  setContextMenu(menu) {
    this.menus.push(menu)
  }
}

const handlers = new Map()
const ipcMain = {
  handle: (channel, listener) => handlers.set(channel, listener),
  removeHandler: (channel) => handlers.delete(channel)
}

class Notification extends EventEmitter {
  static isSupported() {
    return false
  }
}

module.exports = {
  app,
  BrowserWindow,
  Tray,
  Notification,
  ipcMain,
  // A built menu is its template, so a driver can find items and click them.
  Menu: { buildFromTemplate: (template) => template, setApplicationMenu: (menu) => calls.appMenus.push(menu) },
  dialog: {
    showErrorBox: (title, content) => calls.errorBoxes.push({ title, content }),
    showMessageBox: async () => ({ response: 0 })
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  powerMonitor: new EventEmitter(),
  shell: { openPath: async () => '', openExternal: async () => undefined },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler) => (calls.permissionHandlers.request = handler),
      setPermissionCheckHandler: (handler) => (calls.permissionHandlers.check = handler)
    }
  },
  safeStorage: {
    isEncryptionAvailable: () => false,
    getSelectedStorageBackend: () => 'basic_text',
    encryptString: () => {
      throw new Error('no keyring in the stub')
    },
    decryptString: () => {
      throw new Error('no keyring in the stub')
    }
  },
  __stub: { calls, handlers, ready: () => markReady() }
}
