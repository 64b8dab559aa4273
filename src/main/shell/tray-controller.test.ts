import { describe, expect, it, vi } from 'vitest'
import { INITIAL_STATUS, type ShellActions, type ShellStatus } from './shell-status'
import { createTrayController, type TrayLike } from './tray-controller'
import type { MenuItemSpec } from './tray-menu'

function fakeTray() {
  const calls: { image: string[]; tooltip: string[]; title: string[]; menus: MenuItemSpec[][] } = {
    image: [],
    tooltip: [],
    title: [],
    menus: []
  }
  const tray: TrayLike = {
    setImage: (p) => void calls.image.push(p),
    setToolTip: (t) => void calls.tooltip.push(t),
    setTitle: (t) => void calls.title.push(t),
    setContextMenu: (m) => void calls.menus.push(m as MenuItemSpec[])
  }
  return { tray, calls }
}

function actions(): ShellActions {
  return {
    open: vi.fn(),
    pauseAutoprocessing: vi.fn(),
    resumeAutoprocessing: vi.fn(),
    returnDeferredToAutoprocessing: vi.fn(),
    decideAllApprovals: vi.fn(),
    restartOllama: vi.fn(),
    update: vi.fn(),
    quit: vi.fn()
  }
}

const degraded: ShellStatus = {
  level: 'degraded',
  reasons: ['Ollama at http://localhost:11434 is not reachable'],
  deferredCount: 3,
  approvalsPending: 0,
  autoprocessing: 'running'
}

function setup(platform: NodeJS.Platform = 'darwin') {
  const { tray, calls } = fakeTray()
  const acts = actions()
  const controller = createTrayController({
    tray,
    buildMenu: (t) => t,
    trayDir: '/res/tray',
    platform,
    actions: acts,
    initial: INITIAL_STATUS
  })
  const item = (label: RegExp) => calls.menus.at(-1)!.find((i) => i.label !== undefined && label.test(i.label))!
  return { controller, calls, acts, item }
}

describe('tray', () => {
  it('shows the health as the icon, the reasons in the tooltip and the deferred count beside the icon', () => {
    const { controller, calls } = setup()
    expect(calls.image).toEqual(['/res/tray/unknownTemplate.png'])
    expect(calls.tooltip.at(-1)).toBe(
      'Knowledge OS — Starting…\n• Starting: checking model servers, the worker and the database'
    )
    controller.update(degraded)
    expect(calls.image.at(-1)).toBe('/res/tray/degradedTemplate.png')
    expect(calls.tooltip.at(-1)).toBe(
      'Knowledge OS — Degraded\n• Ollama at http://localhost:11434 is not reachable\n3 tasks waiting for manual review'
    )
    expect(calls.title.at(-1)).toBe('3')
    controller.update({ ...degraded, level: 'down' })
    expect(calls.image.at(-1)).toBe('/res/tray/downTemplate.png')
  })

  it('uses coloured icons and no title outside the Mac', () => {
    const { controller, calls } = setup('linux')
    controller.update(degraded)
    expect(calls.image.at(-1)).toBe('/res/tray/degraded.png')
    expect(calls.title).toEqual([])
  })

  it('offers Return to autoprocessing with the count, and calls the core when clicked', () => {
    const { controller, acts, item } = setup()
    expect(item(/^Return to autoprocessing/).enabled).toBe(false)
    controller.update(degraded)
    const ret = item(/^Return to autoprocessing/)
    expect(ret.label).toBe('Return to autoprocessing (3)')
    ret.click?.()
    expect(acts.returnDeferredToAutoprocessing).toHaveBeenCalledOnce()
  })

  it('switches between pause and resume with the autoprocessing state', () => {
    const { controller, acts, item } = setup()
    item(/^Pause autoprocessing/).click?.()
    expect(acts.pauseAutoprocessing).toHaveBeenCalledOnce()
    controller.update({ ...INITIAL_STATUS, autoprocessing: 'paused' })
    item(/^Resume autoprocessing/).click?.()
    expect(acts.resumeAutoprocessing).toHaveBeenCalledOnce()
  })

  it('offers the update in the tray: Restart to Update once downloaded, routed to the update policy', () => {
    const { controller, acts, item, calls } = setup()
    expect(calls.menus.at(-1)!.some((i) => i.label?.includes('Update'))).toBe(false)
    controller.setUpdate({ label: 'Restart to Update (1.2.0)', enabled: true, action: 'restart' })
    item(/^Restart to Update/).click?.()
    expect(acts.update).toHaveBeenCalledWith('restart')
  })

  it('routes open, restart Ollama and quit to the core', () => {
    const { acts, item } = setup()
    item(/^Open Knowledge OS/).click?.()
    item(/^Restart Ollama/).click?.()
    item(/^Quit/).click?.()
    expect(acts.open).toHaveBeenCalledOnce()
    expect(acts.restartOllama).toHaveBeenCalledOnce()
    expect(acts.quit).toHaveBeenCalledOnce()
  })

  it('shows the approvals waiting, decides them all in one click, and opens the panel to review them', () => {
    const { controller, calls, acts, item } = setup()
    expect(item(/^No approvals waiting/).enabled).toBe(false)
    controller.update({ ...degraded, approvalsPending: 4 })
    expect(calls.tooltip.at(-1)).toContain('4 requests waiting for approval')
    const waiting = item(/^Approvals waiting/)
    expect(waiting.label).toBe('Approvals waiting (4)')
    const sub = (label: RegExp) => waiting.submenu!.find((i) => i.label !== undefined && label.test(i.label))!
    sub(/^Approve all 4$/).click?.()
    expect(acts.decideAllApprovals).toHaveBeenCalledWith('approve')
    sub(/^Reject all 4$/).click?.()
    expect(acts.decideAllApprovals).toHaveBeenCalledWith('reject')
    sub(/^Review approvals/).click?.()
    expect(acts.open).toHaveBeenCalledWith('approvals')
  })
})
