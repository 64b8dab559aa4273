import type { Logger } from '../log/logger'

/** What the handlers need of Electron's Session; Electron's own type fits it. */
export interface PermissionSessionLike {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl?: string }
        ) => void)
      | null
  ): void
  setPermissionCheckHandler(
    handler: ((webContents: unknown, permission: string, requestingOrigin: string) => boolean) | null
  ): void
}

/**
 * Electron grants every permission a page asks for unless told otherwise.
 * The app's pages need none (no camera, microphone, location, notifications
 * from the page; the shell notifies), so every request and check is refused,
 * and a refused request is logged once per permission, naming it, so a
 * feature that one day needs one fails visibly instead of silently.
 */
export function denyAllPermissions(session: PermissionSessionLike, log: Logger): void {
  const reported = new Set<string>()
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    if (!reported.has(permission)) {
      reported.add(permission)
      log.warn('permission request refused', { permission, url: details.requestingUrl ?? null })
    }
    callback(false)
  })
  session.setPermissionCheckHandler(() => false)
}
