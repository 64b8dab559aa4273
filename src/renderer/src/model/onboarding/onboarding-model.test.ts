import { describe, expect, it } from 'vitest'
import type { PullProgress } from '../../../../shared/contract/models-contract'
import type { OnboardingStatus } from '../../../../shared/contract/onboarding-contract'
import { rpcError } from '../../../../shared/contract/rpc-error'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import {
  downloadRow,
  onboardingModel,
  fixesOf,
  progressRows,
  pullRow,
  selectFixRunning,
  selectFolded,
  selectProblems,
  selectSummary,
  selectVisible
} from './onboarding-model'

const status = (over: Partial<OnboardingStatus> = {}): OnboardingStatus => ({
  ready: false,
  checked: true,
  ollama: { state: 'running', url: 'http://localhost:11434', detail: null },
  pullNode: 'ollama-local',
  nodes: [],
  problems: [
    { kind: 'no_chat_model', title: 'No chat model', detail: 'd', fix: 'pull_models' },
    { kind: 'no_embedding_model', title: 'No embedding model', detail: 'd', fix: 'pull_models' }
  ],
  recommended: {
    ollama: { chat: 'llama3.2:3b', embedding: 'nomic-embed-text' },
    embedded: {
      chat: { model: 'qwen', url: 'http://127.0.0.1:1/c.gguf', sizeBytes: null },
      embedding: { model: 'nomic-embed-text', url: 'http://127.0.0.1:1/e.gguf', sizeBytes: null }
    }
  },
  embeddedEnabled: false,
  postponed: false,
  downloads: [],
  ...over
})

const pull = (over: Partial<PullProgress>): PullProgress => ({
  pullId: 'p1',
  node: 'ollama-local',
  model: 'llama3.2:3b',
  status: 'starting',
  completed: null,
  total: null,
  state: 'running',
  error: null,
  ...over
})

describe('onboarding model', () => {
  it('shows the panel while the corporation cannot work, offers each fix once, follows its pulls, and hides once ready', async () => {
    const fake = fakeClient({
      'onboarding.status': () => ({ ok: true, value: status() }),
      'onboarding.pullModels': () => ({
        ok: true,
        value: [pull({ pullId: 'p1' }), pull({ pullId: 'p2', model: 'nomic-embed-text' })]
      })
    })
    const model = createViewModel(onboardingModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(selectVisible(model.getState())).toBe(true)
    expect(fixesOf(selectProblems(model.getState()))).toEqual(['pull_models'])
    expect(selectProblems(model.getState())).toBe(selectProblems(model.getState()))
    expect(selectSummary(model.getState())).toBe('2 things to set up before the corporation can work')

    await model.getState().pullModels()
    expect(selectFixRunning(model.getState(), 'pull_models')).toBe(true)
    fake.emit('models.pullProgress', pull({ pullId: 'p1', status: 'pulling', completed: 1_048_576, total: 4_194_304 }))
    fake.emit('models.pullProgress', pull({ pullId: 'elsewhere', model: 'other' }))
    expect(progressRows(model.getState().pulls, []).map((r) => [r.label, r.percent, r.text])).toEqual([
      ['llama3.2:3b → ollama-local', 25, '1 MB of 4 MB'],
      ['nomic-embed-text → ollama-local', null, 'starting']
    ])

    fake.emit('models.pullProgress', pull({ pullId: 'p1', state: 'done' }))
    fake.emit(
      'models.pullProgress',
      pull({ pullId: 'p2', model: 'nomic-embed-text', state: 'failed', error: 'no space' })
    )
    expect(selectFixRunning(model.getState(), 'pull_models')).toBe(false)
    fake.emit('onboarding.changed', status({ ready: true, problems: [] }))
    expect(selectVisible(model.getState())).toBe(false)
    dispose()
    expect(fake.listening()).toBe(0)
  })

  it('keeps "Not now" in the core, so a reload opens folded; "Show setup" undoes it the same way', async () => {
    const fake = fakeClient({
      'onboarding.status': () => ({ ok: true, value: status({ postponed: true }) }),
      'config.set': () => ({ ok: false, error: rpcError('forbidden', 'read-only') })
    })
    const model = createViewModel(onboardingModel, fake.client, undefined)
    model.connect()
    await settle()
    expect(selectFolded(model.getState())).toBe(true)
    model.getState().unfold()
    expect(selectFolded(model.getState())).toBe(false)
    expect(fake.calls.at(-1)).toEqual({ name: 'config.set', input: { key: 'onboarding.postponed', value: false } })
    model.getState().fold()
    await settle()
    // Refused (a read-only window): this window still folds.
    expect(selectFolded(model.getState())).toBe(true)
    expect(fake.calls.at(-1)).toEqual({ name: 'config.set', input: { key: 'onboarding.postponed', value: true } })
    expect(selectFolded({ ...model.getState(), folded: null, status: status() })).toBe(false)
  })

  it('says nothing before the first scan, and keeps a refusal to show beside the fixes', async () => {
    const fake = fakeClient({
      'onboarding.status': () => ({ ok: true, value: status({ checked: false, problems: [] }) }),
      'onboarding.startOllama': () => ({
        ok: false,
        error: rpcError('conflict', 'supervisor.ollama is "off", set by the environment variable KOS_SUPERVISOR_OLLAMA')
      })
    })
    const model = createViewModel(onboardingModel, fake.client, undefined)
    model.connect()
    await settle()
    expect(selectVisible(model.getState())).toBe(false)
    await model.getState().startOllama()
    expect(model.getState()).toMatchObject({ busy: null, error: { code: 'conflict' } })
    model.getState().dismissError()
    expect(model.getState().error).toBeNull()
  })

  it('words progress rows for people: sizes in MB, verification, failures', () => {
    expect(pullRow(pull({ state: 'done' }))).toMatchObject({ percent: 100, text: 'Pulled' })
    expect(pullRow(pull({ state: 'failed', error: 'pull model manifest: file does not exist' }))).toMatchObject({
      failed: true,
      text: 'pull model manifest: file does not exist'
    })
    const d = { role: 'chat' as const, model: 'qwen', url: 'u', error: null }
    expect(
      downloadRow({ ...d, state: 'downloading', downloadedBytes: 3 * 1048576, totalBytes: 12 * 1048576 })
    ).toMatchObject({ percent: 25, text: '3 MB of 12 MB', label: 'qwen (chat)' })
    expect(downloadRow({ ...d, state: 'downloading', downloadedBytes: 3 * 1048576, totalBytes: null })).toMatchObject({
      percent: null,
      text: '3 MB so far'
    })
    expect(downloadRow({ ...d, state: 'verifying', downloadedBytes: 1, totalBytes: 1 }).text).toBe(
      'Checking its sha256…'
    )
    expect(
      downloadRow({ ...d, state: 'failed', downloadedBytes: 0, totalBytes: null, error: 'its sha256 is x, not y' })
    ).toMatchObject({ failed: true, text: 'its sha256 is x, not y' })
  })

  it('gives a failed row a still bar where it stopped, never the moving bar of a size not known yet', () => {
    const d = { role: 'chat' as const, model: 'qwen', url: 'u', error: 'Could not reach huggingface.co' }
    expect(downloadRow({ ...d, state: 'failed', downloadedBytes: 0, totalBytes: null })).toMatchObject({
      failed: true,
      percent: 0
    })
    expect(
      downloadRow({ ...d, state: 'failed', downloadedBytes: 3 * 1048576, totalBytes: 12 * 1048576 })
    ).toMatchObject({ failed: true, percent: 25 })
    expect(pullRow(pull({ state: 'failed', completed: null, total: null }))).toMatchObject({ failed: true, percent: 0 })
  })
})
