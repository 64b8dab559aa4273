import { WebSocket } from 'ws'
import { createClient } from '../src/shared/contract/client'
import type { CallResult } from '../src/shared/contract/rpc-error'
import type { ConnectionStatus, EventFrame, KosBridge } from '../src/shared/contract/wire'
import type { TasksChanged } from '../src/shared/contract/tasks-contract'
import { createViewModel } from '../src/renderer/src/model/view-model'
import { tasksModel } from '../src/renderer/src/model/tasks/tasks-model'

export interface CreateCost {
  /** Calls the Tasks view made for one create, counted until its task's pushed change arrived. */
  readonly calls: number
  readonly callNames: readonly string[]
  /** tasks.changed frames that carried the new task. */
  readonly changes: number
  readonly replyMs: number
}

/** A window's link as the web bridge makes it (calls and events over one WebSocket), counting the calls. */
function socketBridge(origin: string, token: string): KosBridge & { calls: string[]; close(): void } {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/rpc`, { headers: { Authorization: `Bearer ${token}` } })
  const pending = new Map<string, (result: CallResult<unknown>) => void>()
  const events = new Set<(event: EventFrame) => void>()
  const statuses = new Set<(status: ConnectionStatus) => void>()
  let status: ConnectionStatus = 'connecting'
  let ids = 0
  const calls: string[] = []
  ws.on('open', () => {
    status = 'connected'
    for (const listener of statuses) listener(status)
  })
  ws.on('error', () => undefined)
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as
      { type: 'result'; id: string; result: CallResult<unknown> } | (EventFrame & { type: 'event' })
    if (frame.type === 'event') for (const listener of events) listener(frame)
    else pending.get(frame.id)?.(frame.result)
  })
  return {
    calls,
    call: (name, input) =>
      new Promise((resolve) => {
        const id = `c${++ids}`
        calls.push(name)
        pending.set(id, resolve)
        ws.send(JSON.stringify({ type: 'call', id, name, input }))
      }),
    onEvent(listener) {
      events.add(listener)
      return () => events.delete(listener)
    },
    onStatus(listener) {
      statuses.add(listener)
      listener(status)
      return () => statuses.delete(listener)
    },
    close: () => ws.close()
  }
}

/**
 * The renderer's own Tasks view model, opened over a WebSocket to the host,
 * creates one task as the New task form does; the calls it makes are counted
 * until the change pushed for the new task has arrived (or a second passed).
 */
export async function measureCreate(origin: string, token: string): Promise<CreateCost> {
  const bridge = socketBridge(origin, token)
  const model = createViewModel(tasksModel, createClient(bridge), undefined)
  const dispose = model.connect()
  try {
    await until(() => model.getState().list.total !== null && !model.getState().loading)
    bridge.calls.length = 0
    let newId: string | null = null
    const seen: string[][] = []
    const off = bridge.onEvent((event) => {
      if (event.name === 'tasks.changed') seen.push((event.payload as TasksChanged).tasks.map((t) => t.id))
    })
    const started = performance.now()
    const refused = await model.getState().create({
      title: 'One more task from the Tasks view',
      description: 'Created by the views bench to count the round trips of one create.'
    })
    const replyMs = performance.now() - started
    if (refused) throw new Error(refused.message)
    newId = model.getState().selectedId
    await until(() => seen.some((ids) => newId !== null && ids.includes(newId)), 1_000).catch(() => undefined)
    // Anything the view does after the change (a detail read, counters) would come now.
    await new Promise((r) => setTimeout(r, 300))
    off()
    return {
      calls: bridge.calls.length,
      callNames: [...bridge.calls],
      changes: seen.filter((ids) => newId !== null && ids.includes(newId)).length,
      replyMs
    }
  } finally {
    dispose()
    bridge.close()
  }
}

async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms
  while (!done()) {
    if (performance.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}
