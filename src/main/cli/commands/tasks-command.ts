import type { Task, TaskDetail, TaskEvent, TaskList } from '../../../shared/contract/tasks-contract'
import { callOrExit } from '../call-or-exit'
import type { CommandContext } from '../command-context'
import { connectToCore, type CoreConnection } from '../core-connection'

const EXIT_USAGE = 64
const ENDED = new Set(['completed', 'cancelled', 'deferred_to_human'])

const USAGE = `Usage:
  kos tasks list [STATUS] [--json]          newest first; STATUS is pending, in_progress, completed, failed, deferred_to_human or cancelled
  kos tasks add TITLE DESCRIPTION [--json]  queue a task
  kos tasks follow ID [--json]              its history, then its events live until it completes, is cancelled or needs review
  kos tasks requeue ID… | --all             return tasks in manual review to autoprocessing
  kos tasks cancel ID                       cancel a task that has not finished`

/** `kos tasks …`: the task queue from the command line, through the running app when there is one. */
export async function tasksCommand(ctx: CommandContext): Promise<number> {
  const [, verb, ...rest] = ctx.args.positionals
  if (verb !== 'list' && verb !== 'add' && verb !== 'follow' && verb !== 'requeue' && verb !== 'cancel') {
    ctx.err(verb ? `Unknown tasks command "${verb}".\n${USAGE}` : USAGE)
    return EXIT_USAGE
  }
  if (((verb === 'follow' || verb === 'cancel') && rest.length !== 1) || (verb === 'add' && rest.length !== 2) || (verb === 'requeue' && rest.length === 0 && !ctx.args.all)) {
    ctx.err(`kos tasks ${verb} got ${rest.length} argument(s).\n${USAGE}`)
    return EXIT_USAGE
  }
  const connected = await connectToCore(ctx)
  if (!connected.ok) {
    ctx.err(connected.message)
    return connected.exitCode
  }
  const { connection } = connected
  try {
    if (verb === 'list') return await list(ctx, connection, rest[0])
    if (verb === 'add') return await add(ctx, connection, rest[0] as string, rest[1] as string)
    if (verb === 'follow') return await follow(ctx, connection, rest[0] as string)
    if (verb === 'cancel') return await cancel(ctx, connection, rest[0] as string)
    return await requeue(ctx, connection, rest)
  } finally {
    await connection.close()
  }
}

async function list(ctx: CommandContext, connection: CoreConnection, status: string | undefined): Promise<number> {
  const result = await callOrExit<TaskList>(ctx, connection, 'tasks.list', status ? { status, limit: 1000 } : { limit: 1000 })
  if (!result.ok) return result.exitCode
  if (ctx.args.json) {
    ctx.out(JSON.stringify(result.value))
    return 0
  }
  const { tasks, total } = result.value
  if (tasks.length === 0) ctx.out(status ? `No ${status} tasks.` : 'No tasks.')
  for (const t of tasks) ctx.out(`${t.id}  ${t.status.padEnd(17)}  ${t.priority.padEnd(6)}  ${t.title}${t.errorType ? `  [${t.errorType}: ${t.lastError ?? ''}]` : ''}`)
  if (total > tasks.length) ctx.out(`… ${total - tasks.length} more`)
  return 0
}

async function add(ctx: CommandContext, connection: CoreConnection, title: string, description: string): Promise<number> {
  const result = await callOrExit<Task>(ctx, connection, 'tasks.create', { title, description })
  if (!result.ok) return result.exitCode
  ctx.out(ctx.args.json ? JSON.stringify(result.value) : `Queued ${result.value.id}: ${result.value.title}`)
  return 0
}

async function cancel(ctx: CommandContext, connection: CoreConnection, id: string): Promise<number> {
  const result = await callOrExit<Task>(ctx, connection, 'tasks.cancel', { id })
  if (!result.ok) return result.exitCode
  ctx.out(ctx.args.json ? JSON.stringify(result.value) : `Cancelled ${id}.`)
  return 0
}

async function requeue(ctx: CommandContext, connection: CoreConnection, ids: readonly string[]): Promise<number> {
  const input = ctx.args.all || (ids.length === 1 && ids[0] === 'all') ? { all: true } : { ids }
  const result = await callOrExit<{ requeued: string[] }>(ctx, connection, 'tasks.requeue', input)
  if (!result.ok) return result.exitCode
  ctx.out(ctx.args.json ? JSON.stringify(result.value) : `Returned ${result.value.requeued.length} task(s) to autoprocessing.`)
  return 0
}

async function follow(ctx: CommandContext, connection: CoreConnection, id: string): Promise<number> {
  // With --json the events stream as one array, an element a line, closed when following ends.
  let printed = 0
  let ended = (): void => undefined
  const print = (e: TaskEvent): void =>
    ctx.out(ctx.args.json ? `${printed++ === 0 ? '[' : ','}${JSON.stringify(e)}` : `${e.at}  ${e.kind.padEnd(9)}  attempt ${e.attempt}${e.errorType ? `  ${e.errorType}` : ''}${e.message ? `  ${e.message}` : ''}`)
  // Subscribe before reading the history so no event falls between the two.
  const live: TaskEvent[] = []
  let wake: () => void = () => undefined
  const unsubscribe = await connection.subscribe((frame) => {
    if (frame.name !== 'tasks.event') return
    const event = frame.payload as TaskEvent
    if (event.taskId !== id) return
    live.push(event)
    wake()
  })
  try {
    const detail = await callOrExit<TaskDetail>(ctx, connection, 'tasks.get', { id })
    if (!detail.ok) return detail.exitCode
    ended = () => ctx.out(printed === 0 ? '[]' : ']')
    let lastSeq = 0
    for (const e of detail.value.events) {
      print(e)
      lastSeq = e.seq
    }
    let status = detail.value.task.status
    if (!ENDED.has(status) && connection.via === 'local-core') {
      ctx.err('No app is running on this data dir, so nothing will process this task now. Start it (kos serve, or the app) and follow again.')
      return 0
    }
    const stopped = ctx.untilStopped().then(() => true)
    for (;;) {
      for (const e of live.splice(0)) {
        if (e.seq <= lastSeq) continue
        print(e)
        lastSeq = e.seq
        status = e.status
      }
      if (ENDED.has(status)) return 0
      if (await Promise.race([new Promise<false>((resolve) => (wake = () => resolve(false))), stopped])) return 0
    }
  } finally {
    unsubscribe()
    if (ctx.args.json) ended()
  }
}
