import { describe, expect, it } from 'vitest'
import { describeEmbedding } from './format'

describe('the embedder’s state in words', () => {
  const model = { id: 'ollama:nomic-embed-text', dimension: 768 }

  it('says every chunk is embedded only when there are chunks', () => {
    expect(describeEmbedding({ state: 'idle', model }, 12)).toBe(
      'Every chunk is embedded with ollama:nomic-embed-text (768 dimensions).'
    )
    expect(describeEmbedding({ state: 'idle', model }, 0)).toBe(
      'Nothing to embed yet: documents are embedded with ollama:nomic-embed-text as they arrive.'
    )
  })

  it('counts the chunks waiting for vectors while it embeds', () => {
    expect(describeEmbedding({ state: 'embedding', model, done: 1, total: 2, rebuilding: false }, 2)).toBe(
      'Embedding with ollama:nomic-embed-text: 1 of 2 chunks.'
    )
  })

  it('quotes the core’s reason inside its own sentence with one full stop, however the reason ended', () => {
    const reason = 'no node has an embedding model (pull one, e.g. `ollama pull nomic-embed-text`).'
    expect(describeEmbedding({ state: 'waiting', reason }, 3)).toBe(
      'Waiting for an embedding model: no node has an embedding model (pull one, e.g. `ollama pull nomic-embed-text`). New documents are found by full text meanwhile.'
    )
    expect(describeEmbedding({ state: 'failed', model, reason: 'The embedder stopped' }, 3)).toBe(
      'The embedder stopped. Trying again shortly.'
    )
    expect(describeEmbedding({ state: 'failed', model, reason: 'The embedder stopped.' }, 3)).not.toContain('..')
  })
})
