export const VIEW_IDS = [
  'overview',
  'chat',
  'tasks',
  'board',
  'workflows',
  'checklist',
  'models',
  'knowledge',
  'usage',
  'settings',
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
  { id: 'usage', label: 'Usage', glyph: '∑' },
  { id: 'settings', label: 'Settings', glyph: '⚙' },
  { id: 'approvals', label: 'Approvals', glyph: '⚑' }
]

export const DEFAULT_VIEW: ViewId = 'tasks'

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return (VIEW_IDS as readonly string[]).includes(id ?? '') ? (id as ViewId) : DEFAULT_VIEW
}
