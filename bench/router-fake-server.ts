// The fake Ollama server of bench:router, in a process of its own: its parsing, JSON and token
// timers run on its own event loop and heap, so none of them lands inside a request the bench
// is timing. It notes when it writes each token on the machine's monotonic clock (shared by
// every process), and hands those times to the bench over IPC between rounds, never during one.
//
// Started by bench/router.ts with its rules as JSON in argv; prints nothing, speaks over IPC only:
//   → { type: 'ready', url }                      once listening
//   ← { type: 'written', prompts }  → { type: 'written', times: number[][] }   (ms, monotonic)
//   ← { type: 'close' }             → exits once the server is closed
import { startFakeOllama } from '../src/main/models/testing/fake-ollama-server'
import { monotonicMs, type FakeServerReply, type FakeServerRequest, type FakeServerSetup } from './router-fake-client'

async function main(): Promise<void> {
  const send = (reply: FakeServerReply): void => void process.send?.(reply)
  const setup = JSON.parse(process.argv[2] ?? '{}') as FakeServerSetup
  const written = new Map<string, number[]>()
  const fake = await startFakeOllama({
    ...setup,
    onTokenWritten: (prompt, index) => {
      let list = written.get(prompt)
      if (!list) written.set(prompt, (list = []))
      list[index] = monotonicMs()
    }
  })
  process.on('message', (request: FakeServerRequest) => {
    if (request.type === 'written') {
      send({ type: 'written', times: request.prompts.map((p) => written.get(p) ?? []) })
      for (const p of request.prompts) written.delete(p)
    } else {
      void fake.close().then(() => process.exit(0))
    }
  })
  // The bench gone (killed, crashed) leaves no server behind.
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)))
  send({ type: 'ready', url: fake.url })
}

void main()
