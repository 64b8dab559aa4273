// The app part of bench:router: a `models.chat` call over a running `kos serve`'s WebSocket, its tokens pushed back as events.
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { WebSocket } from 'ws'

export const MODEL = 'llama3.2:3b'

/** Sends one `models.chat` call over the app's WebSocket; `arrive` is called on each of its tokens. */
export function appChat(ws: WebSocket, prompt: string, id: number, arrive: () => void): Promise<void> {
  let requestId = ''
  return new Promise<void>((res, rej) => {
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as {
        type: string
        id?: string
        name?: string
        result?: { ok: boolean; value?: { requestId: string }; error?: { message: string } }
        payload?: { requestId: string; ok?: boolean; error?: string }
      }
      if (frame.type === 'result' && frame.id === String(id)) {
        if (!frame.result?.ok) return rej(new Error(frame.result?.error?.message ?? 'call failed'))
        requestId = frame.result.value?.requestId ?? ''
      } else if (frame.type === 'event' && frame.name === 'models.chatToken') {
        // Tokens may come before the call's result names the request: one request runs at a time.
        arrive()
      } else if (frame.type === 'event' && frame.name === 'models.chatDone' && frame.payload?.requestId === requestId) {
        ws.off('message', onMessage)
        if (frame.payload.ok) res()
        else rej(new Error(frame.payload.error ?? 'chat failed'))
      }
    }
    ws.on('message', onMessage)
    ws.send(
      JSON.stringify({
        type: 'call',
        id: String(id),
        name: 'models.chat',
        input: { messages: [{ role: 'user', content: prompt }], node: 'ollama-local', model: MODEL }
      })
    )
  })
}

/** Waits for `kos serve` to print its address, connects its WebSocket, and waits until it has scanned the fake node. */
export async function connectToApp(host: ChildProcess): Promise<WebSocket> {
  const started = JSON.parse(
    await new Promise<string>((res) => createInterface({ input: host.stdout! }).once('line', res))
  ) as { url: string; origin: string }
  const token = new URL(started.url).searchParams.get('token') ?? ''
  const ws = new WebSocket(`${started.origin.replace('http', 'ws')}/rpc`, {
    headers: { Authorization: `Bearer ${token}` }
  })
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  for (let i = 0; i < 100; i++) {
    const listed = await fetch(`${started.origin}/api/call/models.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}'
    })
    const body = (await listed.json()) as { value?: { nodes: { id: string; state: string }[] } }
    if (body.value?.nodes.find((n) => n.id === 'ollama-local')?.state === 'up') break
    await new Promise((r) => setTimeout(r, 100))
  }
  return ws
}
