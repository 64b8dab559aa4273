import type { CallName } from '../../../../shared/contract/contract'
import { VIEWS, type ViewId } from '../../navigation/views'
import { viewDigit } from '../../../../shared/views'

/** What a palette entry does: open a place in the app, or ask the core for something. */
export type PaletteAction =
  | { readonly kind: 'go'; readonly hash: string }
  | { readonly kind: 'runChecklist' }
  | { readonly kind: 'returnDeferred' }
  | { readonly kind: 'startChat' }

export interface PaletteCommand {
  readonly id: string
  readonly title: string
  /** Words it is also found by. */
  readonly keywords: string
  readonly group: 'View' | 'Action'
  readonly action: PaletteAction
  /** The call it makes, so a read-only window shows it disabled with the reason. */
  readonly call?: CallName
  /** The view shortcut's digit, for the hint. */
  readonly digit?: number
}

const go = (view: ViewId, rest = ''): PaletteAction => ({ kind: 'go', hash: `#/${view}${rest}` })

export const PALETTE_COMMANDS: readonly PaletteCommand[] = [
  ...VIEWS.map((view, index): PaletteCommand => ({
    id: `go-${view.id}`,
    title: view.label,
    keywords: `view open show ${view.id}`,
    group: 'View',
    action: go(view.id),
    digit: viewDigit(index)
  })),
  {
    id: 'start-chat',
    title: 'Start a chat',
    keywords: 'new conversation ask lead agent talk message',
    group: 'Action',
    action: { kind: 'startChat' },
    call: 'chat.sessions.create'
  },
  {
    id: 'new-task',
    title: 'New task',
    keywords: 'create queue add task work expert',
    group: 'Action',
    action: go('tasks', '/new'),
    call: 'tasks.create'
  },
  {
    id: 'run-checklist',
    title: 'Run the checklist',
    keywords: 'check health diagnose doctor',
    group: 'Action',
    action: { kind: 'runChecklist' },
    call: 'checklist.run'
  },
  {
    id: 'return-deferred',
    title: 'Return deferred tasks to autoprocessing',
    keywords: 'manual review requeue retry deferred failed',
    group: 'Action',
    action: { kind: 'returnDeferred' },
    call: 'tasks.requeue'
  },
  {
    id: 'find-setting',
    title: 'Find a setting',
    keywords: 'settings preferences configure options search',
    group: 'Action',
    action: go('settings')
  }
]

/**
 * How well `query` matches `text` as a subsequence (every character in
 * order, any gaps): null when it does not; higher for runs of adjacent
 * characters and for characters that start a word. Case is ignored.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '')
  const t = text.toLowerCase()
  if (q === '') return 0
  let score = 0
  let from = 0
  let previous = -2
  for (const ch of q) {
    const at = t.indexOf(ch, from)
    if (at < 0) return null
    score += 1
    if (at === previous + 1) score += 3
    if (at === 0 || /[\s\-/]/.test(t[at - 1] ?? '')) score += 2
    previous = at
    from = at + 1
  }
  // Shorter targets rank first among equal matches: "Tasks" before "Return deferred tasks…".
  return score - t.length / 100
}

/** A subsequence over a long list of words matches nearly anything: keywords match by the start of a word. */
function keywordScore(query: string, keywords: string): number | null {
  const words = keywords.toLowerCase().split(/\s+/)
  const asked = query.toLowerCase().split(/\s+/).filter(Boolean)
  return asked.every((q) => words.some((w) => w.startsWith(q))) ? asked.length : null
}

/** The commands that match, best first; a title match outranks a keyword match; the list order breaks ties. */
export function filterCommands(commands: readonly PaletteCommand[], query: string): PaletteCommand[] {
  if (query.trim() === '') return [...commands]
  return commands
    .map((command, index) => {
      const title = fuzzyScore(query, command.title)
      const score = title !== null ? title + 100 : keywordScore(query, command.keywords)
      return { command, index, score }
    })
    .filter((x): x is { command: PaletteCommand; index: number; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.command)
}
