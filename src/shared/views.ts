/**
 * The app's views in sidebar order. One list for the renderer's sidebar and
 * palette and the desktop shell's Go menu, so their shortcuts always agree.
 */
export const VIEW_IDS = [
  'overview',
  'chat',
  'tasks',
  'board',
  'workflows',
  'checklist',
  'models',
  'knowledge',
  'settings',
  'usage',
  'approvals'
] as const
export type ViewId = (typeof VIEW_IDS)[number]

export interface ViewEntry {
  readonly id: ViewId
  readonly label: string
  readonly glyph: string
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'overview', label: 'Overview', glyph: '◔' },
  { id: 'chat', label: 'Chat', glyph: '✉' },
  { id: 'tasks', label: 'Tasks', glyph: '☰' },
  { id: 'board', label: 'Board', glyph: '⚖' },
  { id: 'workflows', label: 'Workflows', glyph: '⇶' },
  { id: 'checklist', label: 'Checklist', glyph: '✓' },
  { id: 'models', label: 'Models', glyph: '◈' },
  { id: 'knowledge', label: 'Knowledge', glyph: '▤' },
  { id: 'settings', label: 'Settings', glyph: '⚙' },
  { id: 'usage', label: 'Usage', glyph: '∑' },
  { id: 'approvals', label: 'Approvals', glyph: '⚑' }
]

/** The digit that switches to the view at this sidebar position: 1–9 for the first nine, none after (no key gives 10). */
export function viewDigit(index: number): number | undefined {
  return index < 9 ? index + 1 : undefined
}
