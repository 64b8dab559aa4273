/**
 * A window as the bench sees it: a real WebSocket client of the headless
 * host, on its own thread (a worker), so parsing what it is pushed does not
 * count against the host's event loop. It counts the bytes and frames it is
 * pushed.
 */
export const WINDOW_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { WebSocket } = require(workerData.wsModule)
const ws = new WebSocket(workerData.origin.replace(/^http/, 'ws') + '/rpc', { headers: { Authorization: 'Bearer ' + workerData.token } })
let bytes = 0
let frames = 0
const byName = {}
ws.on('error', (error) => parentPort.postMessage({ type: 'error', message: String(error && error.message) }))
ws.on('open', () => parentPort.postMessage({ type: 'open' }))
ws.on('message', (data) => {
  const text = data.toString()
  bytes += Buffer.byteLength(text)
  const frame = JSON.parse(text)
  if (frame.type === 'event') {
    frames++
    byName[frame.name] = (byName[frame.name] || 0) + 1
  }
})
parentPort.on('message', (message) => {
  if (message.type === 'counters') parentPort.postMessage({ type: 'counters', bytes, frames, byName: { ...byName } })
  if (message.type === 'close') {
    ws.close()
    parentPort.close()
  }
})
`
