import { describe, expect, it } from 'vitest'
import type { Candidate } from '../../models/candidates'
import type { Router } from '../../models/router'
import type { ChatCompletionInfo } from '../../ports/chat-model'
import { routerChatModel } from './router-chat-model'

const candidate = (node: string, model: string) => ({ node, model }) as Candidate

function fakeRouter(answerFrom: Candidate, tokens: string[], failAfter?: number): Pick<Router, 'candidates' | 'chat'> {
  return {
    candidates: () => [candidate('ollama-local', 'qwen2.5:7b'), candidate('mlx-local', 'phi3.5')],
    async *chat(_messages, options) {
      for (const [i, token] of tokens.entries()) {
        if (i === 0) options?.onAnswering?.(answerFrom)
        if (failAfter !== undefined && i === failAfter) throw new Error('stream cut')
        yield token
      }
    }
  }
}

const request = (signal = new AbortController().signal) => ({
  messages: [{ role: 'user' as const, content: 'What is the capital of France? Answer briefly.' }],
  category: 'general',
  signal,
  correlationId: 'c-1'
})

async function drain(iterable: AsyncIterable<string>): Promise<string> {
  let text = ''
  for await (const t of iterable) text += t
  return text
}

describe('router as the chat model', () => {
  it('streams the router’s tokens and reports node, model, tokens and time', async () => {
    let clock = 0
    const model = routerChatModel(
      fakeRouter(candidate('ollama-local', 'qwen2.5:7b'), ['Paris', ' is the capital.']),
      () => (clock += 10)
    )
    const stream = model.stream(request())
    expect(await drain(stream.tokens)).toBe('Paris is the capital.')
    expect(await stream.done).toEqual({
      node: 'ollama-local',
      model: 'qwen2.5:7b',
      tokensIn: 12,
      tokensOut: 6,
      counted: 'estimate',
      ttftMs: 10,
      durationMs: 20,
      fellBack: false
    })
  })

  it('tells the request of each attempt that spent tokens without answering, with the backend counts or estimated, before a fallback answers', async () => {
    let clock = 0
    const router: Pick<Router, 'candidates' | 'chat'> = {
      candidates: () => [candidate('ollama-local', 'qwen2.5:7b'), candidate('mlx-local', 'phi3.5')],
      async *chat(_messages, options) {
        // The first candidate echoed the prompt with Ollama's counts; the second broke off after streaming "Par".
        options?.onSpentInFailure?.({
          node: 'ollama-local',
          model: 'qwen2.5:7b',
          kind: 'echo',
          usage: { tokensIn: 14, tokensOut: 9 },
          text: 'What is the capital'
        })
        options?.onSpentInFailure?.({
          node: 'mlx-local',
          model: 'phi3.5',
          kind: 'connection',
          usage: null,
          text: 'Par'
        })
        options?.onAnswering?.(candidate('mlx-local', 'phi3.5'))
        yield 'Paris.'
      }
    }
    const spent: ChatCompletionInfo[] = []
    const stream = routerChatModel(router, () => (clock += 10)).stream({
      ...request(),
      onSpentInFailure: (info) => spent.push(info)
    })
    expect(await drain(stream.tokens)).toBe('Paris.')
    expect(spent).toEqual([
      {
        node: 'ollama-local',
        model: 'qwen2.5:7b',
        tokensIn: 14,
        tokensOut: 9,
        counted: 'backend',
        ttftMs: null,
        durationMs: 10,
        fellBack: false
      },
      {
        node: 'mlx-local',
        model: 'phi3.5',
        tokensIn: 12,
        tokensOut: 1,
        counted: 'estimate',
        ttftMs: null,
        durationMs: 20,
        fellBack: true
      }
    ])
    expect(await stream.done).toMatchObject({ node: 'mlx-local', fellBack: true })
  })

  it('says when the answer came from a fallback rather than the planned candidate', async () => {
    const stream = routerChatModel(fakeRouter(candidate('mlx-local', 'phi3.5'), ['Paris.'])).stream(request())
    await drain(stream.tokens)
    expect((await stream.done).fellBack).toBe(true)
  })

  it('ends the tokens with the router’s error and rejects done with it', async () => {
    const stream = routerChatModel(fakeRouter(candidate('ollama-local', 'qwen2.5:7b'), ['Par', 'is'], 1)).stream(
      request()
    )
    await expect(drain(stream.tokens)).rejects.toThrow('stream cut')
    await expect(stream.done).rejects.toThrow('stream cut')
  })

  it('counts tokens as the backend reported them when it does, and estimates only otherwise', async () => {
    const reporting: Pick<Router, 'candidates' | 'chat'> = {
      candidates: () => [candidate('ollama-local', 'qwen2.5:7b')],
      async *chat(_messages, options) {
        options?.onAnswering?.(candidate('ollama-local', 'qwen2.5:7b'))
        yield 'Paris.'
        options?.onUsage?.({ tokensIn: 31, tokensOut: 3 })
      }
    }
    const counted = routerChatModel(reporting).stream(request())
    await drain(counted.tokens)
    expect(await counted.done).toMatchObject({ tokensIn: 31, tokensOut: 3, counted: 'backend' })
    const estimated = routerChatModel(fakeRouter(candidate('ollama-local', 'qwen2.5:7b'), ['Paris.'])).stream(request())
    await drain(estimated.tokens)
    expect(await estimated.done).toMatchObject({ tokensIn: 12, tokensOut: 2 })
  })
})
