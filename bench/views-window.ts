/**
 * A window as the bench sees it: a real WebSocket client of the headless
 * host, on its own thread (a worker), so parsing what it is pushed does not
 * count against the host's event loop. It counts the bytes and frames it is
 * pushed, and makes one `tasks.create` the way a window does, counting the
 * calls it made and the changes pushed about that task.
 */
export const WINDOW_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { WebSocket } = require(workerData.wsModule)
const ws = new WebSocket(workerData.origin.replace(/^http/, 'ws') + '/rpc', { headers: { Authorization: 'Bearer ' + workerData.token } })
let bytes = 0
let frames = 0
const byName = {}
let create = null
ws.on('error', (error) => parentPort.postMessage({ type: 'error', message: String(error && error.message) }))
ws.on('open', () => parentPort.postMessage({ type: 'open' }))
ws.on('message', (data) => {
  const text = data.toString()
  bytes += Buffer.byteLength(text)
  const frame = JSON.parse(text)
  if (frame.type === 'event') {
    frames++
    byName[frame.name] = (byName[frame.name] || 0) + 1
    if (create && frame.name === 'tasks.changed' && create.id && frame.payload.tasks.some((t) => t.id === create.id)) create.changes++
    if (create && frame.name === 'tasks.changed' && !create.id) create.early.push(frame.payload.tasks.map((t) => t.id))
  } else if (frame.type === 'result' && create && frame.id === 'create') {
    create.id = frame.result.ok ? frame.result.value.id : null
    create.ok = frame.result.ok
    // A change that arrived before the reply (the push can overtake it) still counts.
    for (const ids of create.early) if (ids.includes(create.id)) create.changes++
    create.replyMs = performance.now() - create.started
  }
})
parentPort.on('message', (message) => {
  if (message.type === 'counters') parentPort.postMessage({ type: 'counters', bytes, frames, byName: { ...byName } })
  if (message.type === 'create') {
    create = { started: performance.now(), calls: 1, changes: 0, id: null, ok: false, early: [], replyMs: 0 }
    ws.send(JSON.stringify({ type: 'call', id: 'create', name: 'tasks.create', input: { title: 'One more task from the window', description: 'Created by the views bench to count the round trips of one create.' } }))
  }
  if (message.type === 'create-report') parentPort.postMessage({ type: 'create-report', calls: create.calls, changes: create.changes, ok: create.ok, replyMs: create.replyMs })
  if (message.type === 'close') {
    ws.close()
    parentPort.close()
  }
})
`
