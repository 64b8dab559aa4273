import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Bounds {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface WindowState {
  readonly bounds: Bounds
  readonly maximized: boolean
}

export const WINDOW_STATE_FILE = 'window-state.json'
export const DEFAULT_SIZE = { width: 1280, height: 820 } as const
const MIN_VISIBLE = 80

/** A saved state, or null when there is none or it cannot be trusted. */
export function loadWindowState(dataDir: string): WindowState | null {
  try {
    const data = JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8')) as Partial<WindowState>
    const b = data.bounds
    if (!b || ![b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n)) || b.width < 200 || b.height < 200)
      return null
    return { bounds: b, maximized: data.maximized === true }
  } catch {
    return null
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  writeFileSync(join(dataDir, WINDOW_STATE_FILE), JSON.stringify(state))
}

/**
 * Where to put the window: the saved bounds if enough of the title bar is on
 * a display that still exists (a monitor may have been unplugged since),
 * otherwise the default size, centred by the OS.
 */
export function placeWindow(
  saved: WindowState | null,
  displays: readonly Bounds[]
): { bounds: Partial<Bounds>; maximized: boolean } {
  if (!saved) return { bounds: DEFAULT_SIZE, maximized: false }
  const { bounds } = saved
  const visible = displays.some((d) => {
    const overlapX = Math.min(bounds.x + bounds.width, d.x + d.width) - Math.max(bounds.x, d.x)
    const titleBarOnScreen = bounds.y >= d.y && bounds.y < d.y + d.height - MIN_VISIBLE / 2
    return overlapX >= MIN_VISIBLE && titleBarOnScreen
  })
  if (!visible) return { bounds: { width: bounds.width, height: bounds.height }, maximized: saved.maximized }
  return { bounds, maximized: saved.maximized }
}
