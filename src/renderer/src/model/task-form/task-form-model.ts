import type { Expert } from '../../../../shared/contract/chat-contract'
import type { RpcError } from '../../../../shared/contract/rpc-error'
import { defineViewModel, type ViewModelApi } from '../view-model'

/** Who a new task goes to: the lead agent's pick, nobody yet, or an expert by id. */
export type ExpertChoice =
  { readonly kind: 'auto' } | { readonly kind: 'none' } | { readonly kind: 'expert'; readonly id: string }

export interface TaskFormData {
  /** Whether the New task form is shown (at the top of the Tasks view). */
  readonly open: boolean
  /** The team to choose from; null until read. */
  readonly experts: readonly Expert[] | null
  readonly error: RpcError | null
}

export interface TaskFormActions {
  show(): void
  hide(): void
}

type Api = ViewModelApi<TaskFormData & TaskFormActions>

const readTeam = async ({ client, set }: Api): Promise<void> => {
  const result = await client.call('chat.experts.list', {})
  set(result.ok ? { experts: result.value.experts, error: null } : { error: result.error })
}

/** The Tasks view's New task form: open or not, and the experts its Expert field offers. */
export const taskFormModel = defineViewModel<TaskFormData, TaskFormActions, { open: boolean }>({
  initialState: ({ open }) => ({ open, experts: null, error: null }),
  actions: (api) => ({
    show: () => api.set({ open: true }),
    hide: () => api.set({ open: false })
  }),
  reload: readTeam
})

/** The fields of tasks.create an expert choice comes to. */
export function assignmentOf(choice: ExpertChoice): { assigneeExpert?: string; autoAssign?: true } {
  if (choice.kind === 'auto') return { autoAssign: true }
  if (choice.kind === 'expert') return { assigneeExpert: choice.id }
  return {}
}

/** The Expert field's options: the lead agent's pick first, then the team (lead last), then nobody. */
export function expertOptions(experts: readonly Expert[]): { value: string; label: string }[] {
  const lead = experts.find((e) => e.lead)
  return [
    { value: 'auto', label: `Auto: ${lead ? lead.name : 'the lead agent'} picks by domain` },
    ...experts
      .filter((e) => !e.lead)
      .map((e) => ({ value: `expert:${e.id}`, label: `${e.name}, ${e.role} (${e.domains.join(', ')})` })),
    ...(lead ? [{ value: `expert:${lead.id}`, label: `${lead.name}, the lead agent` }] : []),
    { value: 'none', label: 'Nobody yet (unassigned)' }
  ]
}

export function choiceOf(value: string): ExpertChoice {
  if (value.startsWith('expert:')) return { kind: 'expert', id: value.slice('expert:'.length) }
  return value === 'none' ? { kind: 'none' } : { kind: 'auto' }
}

/** Who a task is assigned to, for people: "Igor, Software engineer", the id when the team does not know it. */
export function assigneeLabel(id: string | null, experts: readonly Expert[] | null): string {
  if (!id) return 'unassigned'
  const expert = experts?.find((e) => e.id === id)
  return expert ? `${expert.name}, ${expert.lead ? 'the lead agent' : expert.role}` : id
}
