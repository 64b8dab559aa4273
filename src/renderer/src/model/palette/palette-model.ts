import { defineViewModel, type ViewModelApi } from '../view-model'
import { filterCommands, PALETTE_COMMANDS, type PaletteCommand } from './palette-commands'
import { countOf } from '../../../../shared/count-of'

/** What running a command asks of the shell (open a place), or says (done, refused). */
export type PaletteOutcome =
  | { readonly kind: 'navigate'; readonly hash: string }
  | { readonly kind: 'said'; readonly tone: 'ok' | 'error'; readonly text: string }

export interface PaletteData {
  readonly open: boolean
  readonly query: string
  /** Index of the highlighted entry among the matches. */
  readonly active: number
  /** The id of the command being run, while the core works on it. */
  readonly running: string | null
  /** What the last command said, shown in the palette until it is closed or something is typed. */
  readonly message: { readonly tone: 'ok' | 'error'; readonly text: string } | null
}

export interface PaletteActions {
  show(): void
  hide(): void
  toggle(): void
  type(query: string): void
  /** Moves the highlight by `step` (wrapping) or to an end. */
  move(step: 1 | -1 | 'first' | 'last'): void
  /** Highlights the entry at `index` (the pointer is over it). */
  point(index: number): void
  /** Runs a command; navigation is handed back for the shell to perform, then the palette closes. */
  run(command: PaletteCommand): Promise<PaletteOutcome>
}

export type PaletteState = PaletteData & PaletteActions
type Api = ViewModelApi<PaletteState>

/** The entries the palette lists now. */
export function paletteMatches(state: Pick<PaletteData, 'query'>): PaletteCommand[] {
  return filterCommands(PALETTE_COMMANDS, state.query)
}

async function perform(api: Api, command: PaletteCommand): Promise<PaletteOutcome> {
  const { client } = api
  switch (command.action.kind) {
    case 'go':
      return { kind: 'navigate', hash: command.action.hash }
    case 'startChat': {
      const result = await client.call('chat.sessions.create', {})
      return result.ok
        ? { kind: 'navigate', hash: `#/chat/${result.value.id}` }
        : { kind: 'said', tone: 'error', text: result.error.message }
    }
    case 'runChecklist': {
      const result = await client.call('checklist.run', {})
      return result.ok
        ? { kind: 'navigate', hash: '#/checklist' }
        : { kind: 'said', tone: 'error', text: result.error.message }
    }
    case 'returnDeferred': {
      const result = await client.call('tasks.requeue', { all: true })
      if (!result.ok) return { kind: 'said', tone: 'error', text: result.error.message }
      const n = result.value.requeued.length
      return n === 0
        ? { kind: 'said', tone: 'ok', text: 'No task is waiting in manual review: nothing to return.' }
        : { kind: 'said', tone: 'ok', text: `Returned ${countOf(n, 'task')} to autoprocessing.` }
    }
  }
}

/** The command palette (⌘K / Ctrl+K): go to a view or do one of the everyday things, by typing a few letters. */
export const paletteModel = defineViewModel<PaletteData, PaletteActions>({
  initialState: () => ({ open: false, query: '', active: 0, running: null, message: null }),
  actions: (api) => ({
    show: () => api.set({ open: true, query: '', active: 0, message: null }),
    hide: () => api.set({ open: false, running: null }),
    toggle: () =>
      api.get().open
        ? api.set({ open: false, running: null })
        : api.set({ open: true, query: '', active: 0, message: null }),
    type: (query) => api.set({ query, active: 0, message: null }),
    move(step) {
      const count = paletteMatches(api.get()).length
      if (count === 0) return
      const { active } = api.get()
      const next = step === 'first' ? 0 : step === 'last' ? count - 1 : (active + step + count) % count
      api.set({ active: next })
    },
    point(index) {
      if (index >= 0 && index < paletteMatches(api.get()).length) api.set({ active: index })
    },
    async run(command) {
      api.set({ running: command.id, message: null })
      const outcome = await perform(api, command)
      if (outcome.kind === 'navigate') api.set({ open: false, running: null })
      else api.set({ running: null, message: { tone: outcome.tone, text: outcome.text } })
      return outcome
    }
  }),
  // Nothing to read: the commands are the app's own, and each reads what it needs when it runs.
  reload: async () => undefined
})
