import { VIEWS, viewDigit } from '../../shared/views'
import type { MenuItemSpec } from './tray-menu'
import type { UpdateMenuEntry } from './update-policy'

export interface AppMenuActions {
  navigate(view: string): void
  openDataFolder(): void
  openLogFolder(): void
  update(action: 'check' | 'restart'): void
}

/**
 * The application menu: the usual macOS items with their shortcuts, plus a
 * Go menu mirroring the sidebar (its list, ⌘1…⌘9 for the first nine) and ⌘, for Settings, as Mac apps do.
 */
export function appMenu(options: {
  productName: string
  platform: NodeJS.Platform
  dev: boolean
  actions: AppMenuActions
  update?: UpdateMenuEntry | null
}): MenuItemSpec[] {
  const { productName, platform, dev, actions } = options
  const entry = options.update ?? null
  const action = entry?.action
  // Where Mac apps put it: under About in the app menu; elsewhere in Help.
  const update: MenuItemSpec[] = entry
    ? [{ label: entry.label, enabled: entry.enabled, ...(action ? { click: () => actions.update(action) } : {}) }]
    : []
  const mac = platform === 'darwin'
  const settings: MenuItemSpec = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CommandOrControl+,',
    click: () => actions.navigate('settings')
  }
  return [
    ...(mac
      ? [
          {
            label: productName,
            submenu: [
              { role: 'about' },
              ...update,
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' }
            ] satisfies MenuItemSpec[]
          }
        ]
      : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { label: 'Open Log Folder', click: () => actions.openLogFolder() },
        ...(mac ? [] : [{ type: 'separator' as const }, settings]),
        { type: 'separator' },
        { role: mac ? 'close' : 'quit' }
      ]
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' }
      ]
    },
    {
      label: 'View',
      submenu: [
        ...(dev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    {
      label: 'Go',
      submenu: VIEWS.map((view, i) => {
        const digit = viewDigit(i)
        return {
          label: view.label,
          ...(digit === undefined ? {} : { accelerator: `CommandOrControl+${digit}` }),
          click: () => actions.navigate(view.id)
        }
      })
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Open Log Folder', click: () => actions.openLogFolder() }, ...(mac ? [] : update)]
    }
  ]
}
