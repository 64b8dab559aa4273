import type { RpcError } from '../../../../shared/contract/rpc-error'
import type { TaskVerification } from '../../../../shared/contract/validation-contract'
import { defineViewModel, type ViewModelApi } from '../view-model'

export interface TaskVerificationData {
  readonly taskId: string
  /** Null until first read. */
  readonly verification: TaskVerification | null
  readonly error: RpcError | null
}

export type TaskVerificationState = TaskVerificationData & { refresh(): Promise<void> }

async function read({ client, get, set }: ViewModelApi<TaskVerificationState>): Promise<void> {
  const result = await client.call('validation.task', { id: get().taskId })
  set(result.ok ? { verification: result.value, error: null } : { error: result.error })
}

/**
 * One task's verification for its detail and review card: the validator's
 * verdicts, its test runs and the escalation ladder's rounds with the board's
 * view. Read again when the task changes or the board decides on it.
 */
export const taskVerificationModel = defineViewModel<TaskVerificationData, { refresh(): Promise<void> }, string>({
  initialState: (taskId) => ({ taskId, verification: null, error: null }),
  actions: (api) => ({ refresh: () => read(api) }),
  events: {
    'tasks.changed': ({ tasks }, api) => {
      if (tasks.some((t) => t.id === api.get().taskId)) void read(api)
    },
    'board.decided': (decision, api) => {
      if (decision.taskId === api.get().taskId) void read(api)
    }
  },
  reload: (api) => read(api)
})
