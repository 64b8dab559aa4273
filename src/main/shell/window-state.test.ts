import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { DEFAULT_SIZE, WINDOW_STATE_FILE, loadWindowState, placeWindow, saveWindowState } from './window-state'

const tempDir = useTempDirs()
const display = { x: 0, y: 0, width: 1920, height: 1080 }

describe('window state', () => {
  it('restores the size and position it saved', () => {
    const dir = tempDir()
    saveWindowState(dir, { bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true })
    const saved = loadWindowState(dir)
    expect(placeWindow(saved, [display])).toEqual({
      bounds: { x: 100, y: 50, width: 1000, height: 700 },
      maximized: true
    })
  })

  it('keeps the size but lets the OS place a window whose display is gone', () => {
    const saved = { bounds: { x: 2500, y: 100, width: 900, height: 600 }, maximized: false }
    expect(placeWindow(saved, [display])).toEqual({ bounds: { width: 900, height: 600 }, maximized: false })
  })

  it('uses the default size when nothing was saved or the file is damaged', () => {
    const dir = tempDir()
    expect(loadWindowState(dir)).toBeNull()
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"bounds": {"x": "left"}}')
    expect(loadWindowState(dir)).toBeNull()
    writeFileSync(join(dir, WINDOW_STATE_FILE), 'garbage')
    expect(placeWindow(loadWindowState(dir), [display])).toEqual({ bounds: DEFAULT_SIZE, maximized: false })
  })
})
