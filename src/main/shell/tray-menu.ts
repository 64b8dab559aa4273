import type { ShellActions, ShellStatus } from './shell-status'
import type { UpdateMenuEntry } from './update-policy'

/** The subset of Electron's MenuItemConstructorOptions the shell uses, so menus can be built and tested without Electron. */
export interface MenuItemSpec {
  readonly label?: string
  readonly type?: 'separator' | 'normal'
  readonly enabled?: boolean
  readonly accelerator?: string
  readonly role?: string
  readonly click?: () => void
  readonly submenu?: readonly MenuItemSpec[]
}

const LEVEL_WORD = { unknown: 'Starting…', ok: 'Healthy', degraded: 'Degraded', down: 'Down' } as const

export function trayTooltip(status: ShellStatus): string {
  const head = `Knowledge OS — ${LEVEL_WORD[status.level]}`
  const lines = [head, ...status.reasons.map((r) => `• ${r}`)]
  if (status.deferredCount > 0)
    lines.push(`${status.deferredCount} task${status.deferredCount === 1 ? '' : 's'} waiting for manual review`)
  if (status.approvalsPending > 0)
    lines.push(`${status.approvalsPending} request${status.approvalsPending === 1 ? '' : 's'} waiting for approval`)
  if (status.autoprocessing === 'paused') lines.push('Autoprocessing is paused')
  return lines.join('\n')
}

/** The update's menu item (tray and app menu), when updates are on. */
export function updateMenuItems(entry: UpdateMenuEntry | null, actions: ShellActions): MenuItemSpec[] {
  if (!entry) return []
  const { action } = entry
  return [{ label: entry.label, enabled: entry.enabled, ...(action ? { click: () => actions.update(action) } : {}) }]
}

export function trayMenu(
  status: ShellStatus,
  actions: ShellActions,
  update: UpdateMenuEntry | null = null
): MenuItemSpec[] {
  const deferred = status.deferredCount
  const updateItems = updateMenuItems(update, actions)
  return [
    { label: `Status: ${LEVEL_WORD[status.level]}`, enabled: false },
    ...status.reasons.slice(0, 3).map((reason) => ({ label: `  ${reason}`, enabled: false })),
    { type: 'separator' },
    { label: 'Open Knowledge OS', click: () => actions.open() },
    status.autoprocessing === 'paused'
      ? { label: 'Resume autoprocessing', click: () => actions.resumeAutoprocessing() }
      : { label: 'Pause autoprocessing', click: () => actions.pauseAutoprocessing() },
    {
      label: deferred > 0 ? `Return to autoprocessing (${deferred})` : 'Return to autoprocessing',
      enabled: deferred > 0,
      click: () => actions.returnDeferredToAutoprocessing()
    },
    { label: 'Open manual review…', enabled: deferred > 0, click: () => actions.open('tasks') },
    { type: 'separator' },
    ...approvalItems(status.approvalsPending, actions),
    { label: 'Restart Ollama', click: () => actions.restartOllama() },
    { type: 'separator' },
    ...(updateItems.length > 0 ? [...updateItems, { type: 'separator' as const }] : []),
    { label: 'Quit Knowledge OS', accelerator: 'CommandOrControl+Q', click: () => actions.quit() }
  ]
}

/** The approvals queue in the tray: how many wait, each batch in one click, and the panel to look at them one by one. */
function approvalItems(pending: number, actions: ShellActions): MenuItemSpec[] {
  if (pending === 0) return [{ label: 'No approvals waiting', enabled: false }, { type: 'separator' }]
  return [
    {
      label: `Approvals waiting (${pending})`,
      submenu: [
        { label: 'Review approvals…', click: () => actions.open('approvals') },
        { type: 'separator' },
        { label: `Approve all ${pending}`, click: () => actions.decideAllApprovals('approve') },
        { label: `Reject all ${pending}`, click: () => actions.decideAllApprovals('reject') }
      ]
    },
    { type: 'separator' }
  ]
}
