/**
 * Which modifier switches views where the app runs. The desktop app owns
 * ⌘/Ctrl+digit; a browser keeps Ctrl+digit for its own tabs, so the page
 * listens to Alt (⌥ on a Mac) too. Hints show the one that works here.
 */
export interface ShortcutHost {
  readonly mac: boolean
  readonly desktop: boolean
}

export function shortcutHost(nav: { userAgent: string; platform: string }): ShortcutHost {
  return { mac: /Mac|iPhone|iPad/.test(nav.platform), desktop: /\bElectron\//.test(nav.userAgent) }
}

/** The modifier of the view shortcuts, as printed on the key. */
export function viewModifier(host: ShortcutHost): string {
  if (host.desktop) return host.mac ? '⌘' : 'Ctrl'
  return host.mac ? '⌥' : 'Alt'
}

/** The palette's shortcut: ⌘K on a Mac, Ctrl+K elsewhere, in the desktop app and the browser alike. */
export function paletteShortcut(host: ShortcutHost): string {
  return host.mac ? '⌘K' : 'Ctrl+K'
}

/** "⌘1" or "Alt+1": a Mac's symbols are written together, other platforms' names with a plus. */
export function chord(modifier: string, key: string): string {
  return /^[⌘⌥⌃⇧]$/.test(modifier) ? `${modifier}${key}` : `${modifier}+${key}`
}

/** True for the palette's key: ⌘K or Ctrl+K, without Shift or Alt. */
export function isPaletteKey(event: {
  key: string
  metaKey: boolean
  ctrlKey: boolean
  altKey: boolean
  shiftKey: boolean
}): boolean {
  return event.key.toLowerCase() === 'k' && (event.metaKey || event.ctrlKey) && !event.altKey && !event.shiftKey
}
