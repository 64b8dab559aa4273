#!/usr/bin/env node
// Serves generated tiny GGUF files over loopback the way Hugging Face serves model files
// (Range requests, the sha256 in X-Linked-Etag), so setup's embedded-engine downloads can
// be run end to end without the Internet. The TypeScript modules are loaded through jiti.
//
//   node scripts/gguf-mirror.mjs [--port N] [--cut-after-bytes N]
//
// Serves /chat.gguf and /embedding.gguf. Prints one JSON line {"url": "...", "port": N, "pid": N} once it listens.
import { createJiti } from 'jiti'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const jiti = createJiti(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const { makeTinyGguf } = await jiti.import(join(here, 'make-tiny-gguf.ts'))
const { startGgufServer } = await jiti.import(
  join(here, '..', 'src', 'main', 'onboarding', 'testing', 'gguf-server.ts')
)

// A context long enough for the lead agent's prompt: the tiny vocabulary spends one token per byte.
const SHAPE = { embedding: 64, layers: 2, heads: 4, feedForward: 128, context: 8192 }
const cut = option('cut-after-bytes')
const server = await startGgufServer({
  files: { 'chat.gguf': makeTinyGguf(SHAPE), 'embedding.gguf': makeTinyGguf(SHAPE, 7) },
  ...(cut ? { cutAfterBytes: Number(cut) } : {}),
  ...(option('port') ? { port: Number(option('port')) } : {})
})
const url = server.url('').replace(/\/$/, '')
process.stdout.write(JSON.stringify({ url, port: Number(new URL(url).port), pid: process.pid }) + '\n')
const stop = () => void server.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
