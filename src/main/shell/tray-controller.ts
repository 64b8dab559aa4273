import { join } from 'node:path'
import type { ShellActions, ShellStatus } from './shell-status'
import { trayMenu, trayTooltip, type MenuItemSpec } from './tray-menu'
import type { UpdateMenuEntry } from './update-policy'

/** What the controller needs of Electron's Tray. */
export interface TrayLike {
  setImage(image: string): void
  setToolTip(text: string): void
  setTitle(title: string): void
  setContextMenu(menu: unknown): void
}

export interface TrayController {
  update(status: ShellStatus): void
  /** Shows the update's state (Check for Updates…, the download, Restart to Update). */
  setUpdate(entry: UpdateMenuEntry | null): void
  current(): ShellStatus
}

/**
 * On the Mac the menu-bar icon is a template image (the system colours it),
 * so the state is in its shape and the deferred count is the title beside
 * it; elsewhere the icon is coloured and the count is in the tooltip.
 */
export function trayIconPath(trayDir: string, level: ShellStatus['level'], platform: NodeJS.Platform): string {
  return join(trayDir, platform === 'darwin' ? `${level}Template.png` : `${level}.png`)
}

export function createTrayController(options: {
  tray: TrayLike
  buildMenu: (template: MenuItemSpec[]) => unknown
  trayDir: string
  platform: NodeJS.Platform
  actions: ShellActions
  initial: ShellStatus
}): TrayController {
  const { tray, buildMenu, trayDir, platform, actions } = options
  let status = options.initial
  let update: UpdateMenuEntry | null = null
  let shownLevel: ShellStatus['level'] | null = null

  const render = (): void => {
    if (shownLevel !== status.level) {
      tray.setImage(trayIconPath(trayDir, status.level, platform))
      shownLevel = status.level
    }
    tray.setToolTip(trayTooltip(status))
    if (platform === 'darwin') tray.setTitle(status.deferredCount > 0 ? String(status.deferredCount) : '')
    tray.setContextMenu(buildMenu(trayMenu(status, actions, update)))
  }

  render()
  return {
    update(next) {
      status = next
      render()
    },
    setUpdate(entry) {
      update = entry
      render()
    },
    current: () => status
  }
}
