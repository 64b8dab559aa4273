import { parentPort } from 'node:worker_threads'
import { createLlamaEngine } from './llama-engine'
import type { FromWorker, ToWorker } from './worker-protocol'

/**
 * The worker thread's entry: one llama.cpp engine, driven by messages, so
 * loading and generation never block the main process's event loop.
 */
export function serveLlamaWorker(port: NonNullable<typeof parentPort>): void {
  const engine = createLlamaEngine()
  const running = new Map<number, AbortController>()
  const send = (message: FromWorker): void => port.postMessage(message)
  const fail = (id: number, error: unknown): void =>
    send({ type: 'error', id, message: error instanceof Error ? error.message : String(error) })

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'load':
        engine.load(message.modelPath, message.contextSize, message.threads).then(
          () => send({ type: 'done', id: message.id }),
          (e: unknown) => fail(message.id, e)
        )
        return
      case 'complete': {
        const controller = new AbortController()
        running.set(message.id, controller)
        engine
          .complete(
            message.prompt,
            message.maxTokens,
            controller.signal,
            (text) => send({ type: 'token', id: message.id, text }),
            message.jsonSchema
          )
          .then(
            (counts) => send({ type: 'completed', id: message.id, ...counts }),
            (e: unknown) => fail(message.id, e)
          )
          .finally(() => running.delete(message.id))
        return
      }
      case 'embed':
        engine.embed(message.texts).then(
          (vectors) => send({ type: 'vectors', id: message.id, vectors }),
          (e: unknown) => fail(message.id, e)
        )
        return
      case 'abort':
        running.get(message.id)?.abort()
        return
      case 'unload':
        engine.unload().then(
          () => send({ type: 'done', id: message.id }),
          (e: unknown) => fail(message.id, e)
        )
        return
    }
  })
}

if (parentPort) serveLlamaWorker(parentPort)
