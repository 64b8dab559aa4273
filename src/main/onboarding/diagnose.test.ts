import { describe, expect, it } from 'vitest'
import type { RecommendedModels } from '../../shared/contract/onboarding-contract'
import { diagnose, type OnboardingFacts } from './diagnose'

const recommended: RecommendedModels = {
  ollama: { chat: 'llama3.2:3b', embedding: 'nomic-embed-text' },
  embedded: {
    chat: { model: 'qwen2.5-0.5b-instruct', url: 'http://127.0.0.1:1/chat.gguf', sizeBytes: 1 },
    embedding: { model: 'nomic-embed-text', url: 'http://127.0.0.1:1/embed.gguf', sizeBytes: 1 }
  }
}

type Node = OnboardingFacts['nodes'][number]
const local = (state: Node['state'], models: string[] = [], error: string | null = null): Node => ({
  id: 'ollama-local',
  label: 'Ollama on this Mac',
  url: 'http://localhost:11434',
  kind: 'ollama',
  state,
  models,
  error
})
const process = (
  over: Partial<NonNullable<OnboardingFacts['ollamaProcess']>> = {}
): OnboardingFacts['ollamaProcess'] => ({
  installed: true,
  state: 'off',
  warning: null,
  command: 'ollama serve',
  ...over
})

function facts(over: Partial<OnboardingFacts>): OnboardingFacts {
  return {
    nodes: [local('down', [], 'connection refused')],
    ollamaProcess: process(),
    ollamaUrl: 'http://localhost:11434',
    embeddingModel: 'nomic-embed-text',
    recommended,
    embeddedEnabled: false,
    postponed: false,
    downloads: [],
    ...over
  }
}

const kinds = (f: OnboardingFacts) => diagnose(f).problems.map((p) => [p.kind, p.fix])

describe('onboarding diagnosis', () => {
  it('Ollama not installed: says so and offers the built-in engine', () => {
    const status = diagnose(facts({ ollamaProcess: process({ installed: false, state: 'not_installed' }) }))
    expect(status.ready).toBe(false)
    expect(status.ollama.state).toBe('not_installed')
    expect(status.problems).toHaveLength(1)
    expect(status.problems[0]).toMatchObject({
      kind: 'ollama_not_installed',
      title: 'Ollama is not installed',
      fix: 'download_embedded'
    })
    expect(status.problems[0]?.detail).toContain('it was not found on this Mac (looked for “ollama serve”)')
    expect(status.problems[0]?.detail).toContain('built-in engine')
  })

  it('Ollama installed but not running: offers to start it, naming the URL', () => {
    const status = diagnose(facts({}))
    expect(status.ollama.state).toBe('not_running')
    expect(status.problems).toEqual([expect.objectContaining({ kind: 'ollama_not_running', fix: 'start_ollama' })])
    expect(status.problems[0]?.detail).toBe(
      'Nothing answers at http://localhost:11434. The app can start it and keep it running.'
    )
  })

  it('Ollama starting under the supervisor: says it waits, with nothing to click', () => {
    expect(kinds(facts({ ollamaProcess: process({ state: 'starting' }) }))).toEqual([['ollama_starting', null]])
  })

  it('Ollama running as another user: passes on the supervisor’s explanation, with no fix the app can make', () => {
    const warning =
      'Ollama was started as another user: it lists no models while models exist on disk (3 in /Users/ann/.ollama/models).'
    const status = diagnose(facts({ nodes: [local('up', [])], ollamaProcess: process({ state: 'adopted', warning }) }))
    expect(status.ollama).toMatchObject({ state: 'other_user', detail: warning })
    expect(status.problems.map((p) => p.kind)).toEqual(['ollama_other_user', 'no_chat_model', 'no_embedding_model'])
    expect(status.problems[0]).toMatchObject({ detail: warning, fix: null })
  })

  it('Ollama running with no models: offers to pull the recommended chat and embedding models onto it', () => {
    const status = diagnose(facts({ nodes: [local('up', [])], ollamaProcess: process({ state: 'running' }) }))
    expect(status.pullNode).toBe('ollama-local')
    expect(kinds(facts({ nodes: [local('up', [])] }))).toEqual([
      ['no_chat_model', 'pull_models'],
      ['no_embedding_model', 'pull_models']
    ])
    expect(status.problems[0]?.detail).toContain('llama3.2:3b')
  })

  it('a chat model but no embedding model: only the embedding model is missing', () => {
    const status = diagnose(facts({ nodes: [local('up', ['llama3.2:3b'])] }))
    expect(status.ready).toBe(false)
    expect(status.problems.map((p) => p.kind)).toEqual(['no_embedding_model'])
    expect(status.problems[0]?.detail).toContain('nomic-embed-text')
  })

  it('only an embedding model: the chat model is missing (embedding models do not chat)', () => {
    expect(kinds(facts({ nodes: [local('up', ['nomic-embed-text:latest'])] }))).toEqual([
      ['no_chat_model', 'pull_models']
    ])
  })

  it('ready when a chat model and the embedding model answer, on any node: nothing to say', () => {
    const status = diagnose(facts({ nodes: [local('up', ['llama3.2:3b', 'nomic-embed-text:latest'])] }))
    expect(status).toMatchObject({ ready: true, checked: true, problems: [] })
  })

  it('a known LAN node can make the corporation work while this Mac has no Ollama, and a down one is named', () => {
    const lan: Node = {
      id: 'ollama-10-0-0-5-11434',
      label: 'Ollama at 10.0.0.5:11434',
      url: 'http://10.0.0.5:11434',
      kind: 'ollama',
      state: 'up',
      models: ['qwen2.5:7b', 'nomic-embed-text:latest'],
      error: null
    }
    expect(diagnose(facts({ nodes: [local('down'), lan], ollamaProcess: process({ installed: false }) })).ready).toBe(
      true
    )
    const down = { ...lan, state: 'down' as const, error: 'connect EHOSTUNREACH' }
    const status = diagnose(facts({ nodes: [local('down'), down] }))
    expect(status.problems.map((p) => p.kind)).toEqual(['ollama_not_running', 'node_down'])
    expect(status.problems[1]?.detail).toContain('http://10.0.0.5:11434: connect EHOSTUNREACH')
  })

  it('pulls go to a reachable LAN Ollama when this Mac’s is down', () => {
    const lan: Node = {
      id: 'ollama-lan',
      label: 'Ollama at lan',
      url: 'http://10.0.0.5:11434',
      kind: 'ollama',
      state: 'up',
      models: [],
      error: null
    }
    const status = diagnose(facts({ nodes: [local('down'), lan] }))
    expect(status.pullNode).toBe('ollama-lan')
    expect(status.problems.map((p) => [p.kind, p.fix])).toContainEqual(['no_chat_model', 'pull_models'])
  })

  it('the built-in engine on but empty: offers its downloads; with both files it is ready', () => {
    const embedded = (models: string[]): Node => ({
      id: 'embedded',
      label: 'Embedded llama.cpp',
      url: '/data/models',
      kind: 'embedded',
      state: 'up',
      models,
      error: null
    })
    const base = { ollamaProcess: process({ installed: false }), embeddedEnabled: true }
    expect(kinds(facts({ ...base, nodes: [local('down'), embedded([])] }))).toEqual([
      ['ollama_not_installed', 'add_node'],
      ['no_chat_model', 'download_embedded'],
      ['no_embedding_model', 'download_embedded']
    ])
    expect(
      diagnose(facts({ ...base, nodes: [local('down'), embedded(['qwen2.5-0.5b-instruct', 'nomic-embed-text'])] }))
        .ready
    ).toBe(true)
  })

  it('says nothing before the first scan ended', () => {
    const status = diagnose(facts({ nodes: [local('unknown')] }))
    expect(status).toMatchObject({ checked: false, ready: false, ollama: { state: 'checking' } })
  })
})
