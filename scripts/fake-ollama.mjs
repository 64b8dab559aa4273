#!/usr/bin/env node
// Starts the faithful fake Ollama server (src/main/models/testing/fake-ollama-server.ts)
// as its own process, so e2e tests and screenshots can take a node down (kill) and
// bring it back. The TypeScript module is loaded through jiti; no build step needed.
//
//   node scripts/fake-ollama.mjs [--port N] [--models a:1b,b:7b|none] [--loaded a:1b] [--reply "text"] [--token-delay-ms N] [--fail-when "text"] [--rules FILE]
//
// --rules FILE reads a JSON array of rules ({whenPromptContains, behaviour}, fake-script.ts) tried before the others,
// so one server can answer each step of a workflow its own way.
// --fail-when answers every prompt containing the text with Ollama's 500 "llama runner process has terminated".
//
// Prints one JSON line {"url": "...", "port": N, "pid": N} once it listens.
import { createJiti } from 'jiti'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const jiti = createJiti(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const { startFakeOllama } = await jiti.import(
  join(here, '..', 'src', 'main', 'models', 'testing', 'fake-ollama-server.ts')
)

// `none`: an Ollama just installed, with nothing pulled yet.
const models = (option('models') ?? 'llama3.2:3b,qwen2.5-coder:7b,nomic-embed-text:latest')
  .replace(/^none$/, '')
  .split(',')
  .filter(Boolean)
  .map((name) => ({
    name,
    sizeBytes: /7b|8b/.test(name) ? 4_700_000_000 : /3b/.test(name) ? 2_000_000_000 : 274_000_000
  }))
const reply = option('reply')
const tokenDelayMs = Number(option('token-delay-ms') ?? 0)
const server = await startFakeOllama({
  port: Number(option('port') ?? 0),
  models,
  loaded: (option('loaded') ?? '').split(',').filter(Boolean),
  rules: [
    ...(option('rules') ? JSON.parse(readFileSync(option('rules'), 'utf8')) : []),
    ...(option('fail-when')
      ? [
          {
            whenPromptContains: option('fail-when'),
            behaviour: { kind: 'error', status: 500, message: 'llama runner process has terminated: exit status 2' }
          }
        ]
      : []),
    ...(reply || tokenDelayMs
      ? [
          {
            whenPromptContains: '',
            behaviour: { kind: 'reply', text: reply ?? 'Hello from the fake Ollama server, five words.', tokenDelayMs }
          }
        ]
      : [])
  ]
})
process.stdout.write(JSON.stringify({ url: server.url, port: server.port, pid: process.pid }) + '\n')
const stop = () => void server.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
