import {
  TASK_PAGE_MAX,
  TASK_STATUSES,
  TaskStatusSchema,
  type TaskEvent,
  type TaskStatus
} from '../../../shared/contract/tasks-contract'
import { callOrExit, EXIT_FOR_ERROR, type Called } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { whenSubscribed, type CoreConnection } from '../core-connection'
import { withConnection } from '../with-connection'

const EXIT_USAGE = 64
const ENDED: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['completed', 'cancelled', 'deferred_to_human'])

const USAGE = `Usage:
  kos tasks list [STATUS] [--json]          newest first; STATUS is pending, in_progress, completed, failed, deferred_to_human or cancelled
  kos tasks add TITLE DESCRIPTION [--json]  queue a task
  kos tasks follow ID [--json]              its history, then its events live until it completes, is cancelled or needs review
  kos tasks requeue ID… | --all             return tasks in manual review to autoprocessing
  kos tasks return ID [--model M [--node N]] [--expert E] [--json]
                                            return one task from review to run with another chat model
                                            (on node N, else any node that has it) and/or expert, e.g. the
                                            ones its review card suggests; the change is on its history
  kos tasks cancel ID                       cancel a task that has not finished`

/** `kos tasks …`: the task queue from the command line, through the running app when there is one. */
export async function tasksCommand(ctx: CommandContext): Promise<number> {
  const [, verb, ...rest] = ctx.args.positionals
  if (
    verb !== 'list' &&
    verb !== 'add' &&
    verb !== 'follow' &&
    verb !== 'requeue' &&
    verb !== 'return' &&
    verb !== 'cancel'
  ) {
    ctx.err(verb ? `Unknown tasks command "${verb}".\n${USAGE}` : USAGE)
    return EXIT_USAGE
  }
  if (
    ((verb === 'follow' || verb === 'cancel' || verb === 'return') && rest.length !== 1) ||
    (verb === 'add' && rest.length !== 2) ||
    (verb === 'requeue' && rest.length === 0 && !ctx.args.all)
  ) {
    ctx.err(`kos tasks ${verb} got ${rest.length} argument(s).\n${USAGE}`)
    return EXIT_USAGE
  }
  if (verb !== 'return' && (ctx.args.model ?? ctx.args.node ?? ctx.args.expert) !== undefined) {
    ctx.err(`--model, --node and --expert go with kos tasks return, not ${verb}.\n${USAGE}`)
    return EXIT_USAGE
  }
  return withConnection(ctx, (connection) => {
    if (verb === 'list') return list(ctx, connection, rest[0])
    if (verb === 'add') return add(ctx, connection, rest[0] as string, rest[1] as string)
    if (verb === 'follow') return follow(ctx, connection, rest[0] as string)
    if (verb === 'cancel') return cancel(ctx, connection, rest[0] as string)
    if (verb === 'return') return returnWith(ctx, connection, rest[0] as string)
    return requeue(ctx, connection, rest)
  })
}

async function list(ctx: CommandContext, connection: CoreConnection, status: string | undefined): Promise<number> {
  const parsed = TaskStatusSchema.safeParse(status)
  if (status !== undefined && !parsed.success) {
    ctx.err(`"${status}" is not a task status. Use one of: ${TASK_STATUSES.join(', ')}.`)
    return EXIT_USAGE
  }
  const result = await callOrExit(
    ctx,
    connection.client,
    'tasks.list',
    parsed.success ? { status: parsed.data, limit: TASK_PAGE_MAX } : { limit: TASK_PAGE_MAX }
  )
  if (!result.ok) return result.exitCode
  if (ctx.args.json) {
    ctx.out(JSON.stringify(result.value))
    return 0
  }
  const { tasks, total } = result.value
  if (tasks.length === 0) ctx.out(status ? `No ${status} tasks.` : 'No tasks.')
  for (const t of tasks)
    ctx.out(
      `${t.id}  ${t.status.padEnd(17)}  ${t.priority.padEnd(6)}  ${t.title}${t.errorType ? `  [${t.errorType}: ${t.lastError ?? ''}]` : ''}`
    )
  if (total !== null && total > tasks.length) ctx.out(`… ${total - tasks.length} more`)
  return 0
}

async function add(
  ctx: CommandContext,
  connection: CoreConnection,
  title: string,
  description: string
): Promise<number> {
  const result = await callOrExit(ctx, connection.client, 'tasks.create', { title, description })
  if (!result.ok) return result.exitCode
  ctx.out(ctx.args.json ? JSON.stringify(result.value) : `Queued ${result.value.id}: ${result.value.title}`)
  return 0
}

async function cancel(ctx: CommandContext, connection: CoreConnection, id: string): Promise<number> {
  const result = await callOrExit(ctx, connection.client, 'tasks.cancel', { id })
  if (!result.ok) return result.exitCode
  ctx.out(ctx.args.json ? JSON.stringify(result.value) : `Cancelled ${id}.`)
  return 0
}

async function requeue(ctx: CommandContext, connection: CoreConnection, ids: readonly string[]): Promise<number> {
  const all = ctx.args.all || (ids.length === 1 && ids[0] === 'all')
  const result = await callOrExit(ctx, connection.client, 'tasks.requeue', all ? { all: true } : { ids: [...ids] })
  if (!result.ok) return result.exitCode
  ctx.out(
    ctx.args.json ? JSON.stringify(result.value) : `Returned ${result.value.requeued.length} task(s) to autoprocessing.`
  )
  return 0
}

async function returnWith(ctx: CommandContext, connection: CoreConnection, id: string): Promise<number> {
  const { model, node, expert } = ctx.args
  const result = await callOrExit(ctx, connection.client, 'review.return', {
    id,
    ...(model ? { model } : {}),
    ...(node ? { node } : {}),
    ...(expert ? { expert } : {})
  })
  if (!result.ok) return result.exitCode
  const task = result.value
  const runsWith = [
    task.preferredModel
      ? `model ${task.preferredModel}${task.preferredBackend ? ` on ${task.preferredBackend}` : ''}`
      : null,
    task.assigneeExpert ? `expert ${task.assigneeExpert}` : null
  ].filter((part) => part !== null)
  ctx.out(
    ctx.args.json
      ? JSON.stringify(task)
      : `Returned ${task.id} to autoprocessing${runsWith.length ? `; it runs with ${runsWith.join(' and ')}` : ''}. Follow it with: kos tasks follow ${task.id}`
  )
  return 0
}

async function follow(ctx: CommandContext, connection: CoreConnection, id: string): Promise<number> {
  // With --json the events stream as one array, an element a line, closed when following ends;
  // a refusal after it opened is its last element.
  let printed = 0
  const element = (json: string): void => ctx.out(`${printed++ === 0 ? '[' : ','}${json}`)
  const print = (e: TaskEvent): void =>
    ctx.args.json
      ? element(JSON.stringify(e))
      : ctx.out(
          `${e.at}  ${e.kind.padEnd(9)}  attempt ${e.attempt}${e.errorType ? `  ${e.errorType}` : ''}${e.message ? `  ${e.message}` : ''}`
        )
  const refusals: CommandContext = { ...ctx, out: (line) => (opened ? element(line) : ctx.out(line)) }
  let opened = false
  // Subscribe before reading the history so no change falls between the two; a change of this task is read once, however many arrive meanwhile.
  let changed = false
  let wake: () => void = () => undefined
  const unsubscribe = connection.client.on('tasks.changed', ({ tasks }) => {
    if (!tasks.some((t) => t.id === id)) return
    changed = true
    wake()
  })
  try {
    const unsubscribed = await whenSubscribed(connection.client)
    if (unsubscribed) {
      ctx.err(`Cannot follow task ${id} live: ${unsubscribed}. Try again, or run kos tasks list to see its status.`)
      return EXIT_FOR_ERROR.unavailable
    }
    let lastSeq = 0
    const printNew = async (): Promise<Called<TaskStatus>> => {
      const detail = await callOrExit(refusals, connection.client, 'tasks.get', { id })
      if (!detail.ok) return detail
      opened = true
      for (const e of detail.value.events) {
        if (e.seq <= lastSeq) continue
        print(e)
        lastSeq = e.seq
      }
      return { ok: true, value: detail.value.task.status }
    }
    let status = await printNew()
    if (!status.ok) return status.exitCode
    if (!ENDED.has(status.value) && connection.via === 'local-core') {
      ctx.err(
        'No app is running on this data dir, so nothing will process this task now. Start it (kos serve, or the app) and follow again.'
      )
      return 0
    }
    const stopped = ctx.untilStopped().then(() => true)
    for (;;) {
      if (ENDED.has(status.value)) return 0
      if (!changed && (await Promise.race([new Promise<false>((resolve) => (wake = () => resolve(false))), stopped])))
        return 0
      changed = false
      status = await printNew()
      if (!status.ok) return status.exitCode
    }
  } finally {
    unsubscribe()
    if (ctx.args.json && opened) ctx.out(printed === 0 ? '[]' : ']')
  }
}
