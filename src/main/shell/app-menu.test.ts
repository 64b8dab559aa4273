import { describe, expect, it, vi } from 'vitest'
import { appMenu } from './app-menu'
import type { MenuItemSpec } from './tray-menu'

const flatten = (items: readonly MenuItemSpec[]): MenuItemSpec[] =>
  items.flatMap((i) => [i, ...flatten(i.submenu ?? [])])

function build(platform: NodeJS.Platform, dev = false) {
  const actions = { navigate: vi.fn(), openDataFolder: vi.fn(), openLogFolder: vi.fn(), update: vi.fn() }
  return { menu: appMenu({ productName: 'Knowledge OS Control Center', platform, dev, actions }), actions }
}

describe('application menu', () => {
  it('offers Restart to Update under About on the Mac and in Help elsewhere, and routes the click to the updater', () => {
    const update = { label: 'Restart to Update (1.2.0)', enabled: true, action: 'restart' as const }
    for (const platform of ['darwin', 'linux'] as const) {
      const actions = { navigate: vi.fn(), openDataFolder: vi.fn(), openLogFolder: vi.fn(), update: vi.fn() }
      const menu = appMenu({ productName: 'Knowledge OS Control Center', platform, dev: false, actions, update })
      const parent = platform === 'darwin' ? menu[0] : menu.find((i) => i.role === 'help')
      const item = parent?.submenu?.find((i) => i.label === 'Restart to Update (1.2.0)')
      item?.click?.()
      expect(actions.update).toHaveBeenCalledWith('restart')
    }
    expect(flatten(build('darwin').menu).some((i) => i.label?.includes('Update'))).toBe(false)
  })

  it('has the macOS app menu with about, settings, hide and quit', () => {
    const { menu } = build('darwin')
    expect(menu[0]?.label).toBe('Knowledge OS Control Center')
    expect(menu[0]?.submenu?.map((i) => i.role ?? i.label)).toEqual(
      expect.arrayContaining(['about', 'Settings…', 'hide', 'hideOthers', 'quit'])
    )
  })

  it('goes to each view with ⌘1…⌘9 and to Settings with ⌘,', () => {
    const { menu, actions } = build('darwin')
    const items = flatten(menu)
    const go = items.filter((i) => i.accelerator?.match(/^CommandOrControl\+\d$/))
    expect(go.map((i) => [i.label, i.accelerator])).toEqual([
      ['Overview', 'CommandOrControl+1'],
      ['Chat', 'CommandOrControl+2'],
      ['Tasks', 'CommandOrControl+3'],
      ['Board', 'CommandOrControl+4'],
      ['Workflows', 'CommandOrControl+5'],
      ['Checklist', 'CommandOrControl+6'],
      ['Models', 'CommandOrControl+7'],
      ['Knowledge', 'CommandOrControl+8'],
      ['Settings', 'CommandOrControl+9']
    ])
    go[2]?.click?.()
    items.find((i) => i.accelerator === 'CommandOrControl+,')?.click?.()
    expect(actions.navigate.mock.calls).toEqual([['tasks'], ['settings']])
  })

  it('offers developer tools only in development', () => {
    expect(flatten(build('darwin').menu).some((i) => i.role === 'toggleDevTools')).toBe(false)
    expect(flatten(build('darwin', true).menu).some((i) => i.role === 'toggleDevTools')).toBe(true)
  })

  it('puts Settings and Quit in the File menu outside the Mac', () => {
    const { menu } = build('linux')
    expect(menu[0]?.label).toBe('File')
    expect(menu[0]?.submenu?.map((i) => i.role ?? i.label)).toEqual(expect.arrayContaining(['Settings', 'quit']))
  })
})
