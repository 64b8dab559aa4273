import { describe, expect, it } from 'vitest'
import type { ConfigSnapshot, SettingEntry } from '../../../../shared/contract/config-contract'
import { rpcError } from '../../../../shared/contract/rpc-error'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { settingsModel } from './settings-model'
import { changesIn, groupedSettings, shownValue } from './settings-selectors'

const setting = (key: string, category: string, label: string, value: number | string): SettingEntry => ({
  key,
  category,
  label,
  description: `What ${label} does.`,
  type: typeof value === 'number' ? { kind: 'integer', min: 1, max: 10 } : { kind: 'url' },
  value,
  source: { kind: 'default' },
  applies: 'live',
  userEditable: true
})

const config: ConfigSnapshot = {
  profile: 'balanced',
  profiles: [],
  dataDir: { path: '/d', source: { kind: 'default' } },
  settingsFile: '/d/settings.json',
  groups: [
    { name: 'Model servers', summary: 'Where models run.', essential: true },
    { name: 'Worker', summary: 'The queue.', essential: false }
  ],
  settings: [
    setting('worker.maxAttempts', 'Worker', 'Attempts per task', 3),
    setting('ollama.apiUrl', 'Model servers', 'Ollama server', 'http://localhost:11434'),
    setting('worker.maxConcurrency', 'Worker', 'Tasks at once', 4)
  ]
}

describe('settings selectors', () => {
  it('groups settings in the snapshot’s group order and finds them by label, key or help, every word', () => {
    expect(groupedSettings(config, '').map((g) => [g.group.name, g.entries.map((e) => e.key)])).toEqual([
      ['Model servers', ['ollama.apiUrl']],
      ['Worker', ['worker.maxAttempts', 'worker.maxConcurrency']]
    ])
    expect(groupedSettings(config, 'OLLAMA').map((g) => g.group.name)).toEqual(['Model servers'])
    expect(groupedSettings(config, 'tasks once').flatMap((g) => g.entries.map((e) => e.key))).toEqual([
      'worker.maxConcurrency'
    ])
    expect(groupedSettings(config, 'maxattempts')[0]?.entries[0]?.label).toBe('Attempts per task')
    expect(groupedSettings(config, 'nothing like this')).toEqual([])
  })

  it('counts as a change only an edit that differs from the effective value', () => {
    const worker = groupedSettings(config, '')[1]!.entries
    const drafts = { 'worker.maxAttempts': 3, 'worker.maxConcurrency': 6, 'ollama.apiUrl': 'http://x' }
    expect(changesIn(worker, drafts)).toEqual([{ key: 'worker.maxConcurrency', value: 6 }])
    expect(shownValue(worker[1]!, drafts)).toBe(6)
    expect(shownValue(worker[0]!, {})).toBe(3)
  })
})

describe('settings model', () => {
  it('saves a group in one call and clears its edits', async () => {
    const fake = fakeClient({ 'config.setMany': () => ({ ok: true, value: config }) })
    const model = createViewModel(settingsModel, fake.client, undefined)
    model.getState().edit('worker.maxConcurrency', 6)
    model.getState().edit('ollama.apiUrl', 'http://mac:11434')
    await model.getState().save('Worker', [{ key: 'worker.maxConcurrency', value: 6 }])
    await settle()
    expect(fake.calls).toEqual([
      { name: 'config.setMany', input: { changes: [{ key: 'worker.maxConcurrency', value: 6 }] } }
    ])
    // Only the saved group's edits go; another group's edit waits for its own Save.
    expect(model.getState().drafts).toEqual({ 'ollama.apiUrl': 'http://mac:11434' })
    expect(model.getState().groups['Worker']).toMatchObject({ saving: false, error: null })
    expect(model.getState().groups['Worker']?.savedAt).not.toBeNull()
  })

  it('puts each refused value beside its field and keeps the edits, so nothing typed is lost', async () => {
    const message =
      '"Attempts per task" (worker.maxAttempts) cannot be 0: enter a whole number from 1 to 10; the default is 3.'
    const fake = fakeClient({
      'config.setMany': () => ({
        ok: false,
        error: rpcError('invalid_input', message, { issues: [{ path: 'worker.maxAttempts', message }] })
      })
    })
    const model = createViewModel(settingsModel, fake.client, undefined)
    model.getState().edit('worker.maxAttempts', 0)
    model.getState().edit('worker.maxConcurrency', 6)
    await model.getState().save('Worker', [
      { key: 'worker.maxAttempts', value: 0 },
      { key: 'worker.maxConcurrency', value: 6 }
    ])
    expect(model.getState().fieldErrors).toEqual({ 'worker.maxAttempts': message })
    expect(model.getState().drafts).toEqual({ 'worker.maxAttempts': 0, 'worker.maxConcurrency': 6 })
    expect(model.getState().groups['Worker']).toMatchObject({ saving: false, error: null, savedAt: null })

    model.getState().edit('worker.maxAttempts', 4)
    expect(model.getState().fieldErrors).toEqual({})
  })

  it('shows a refusal that names no field (a full disk) as the group’s error', async () => {
    const fake = fakeClient({
      'config.setMany': () => ({ ok: false, error: rpcError('unavailable', 'The settings file could not be written.') })
    })
    const model = createViewModel(settingsModel, fake.client, undefined)
    await model.getState().save('Worker', [{ key: 'worker.maxConcurrency', value: 6 }])
    expect(model.getState().groups['Worker']?.error).toBe('The settings file could not be written.')
  })

  it('discards a group’s edits and resets one value through the core', async () => {
    const fake = fakeClient({ 'config.reset': () => ({ ok: true, value: config }) })
    const model = createViewModel(settingsModel, fake.client, undefined)
    model.getState().edit('worker.maxConcurrency', 6)
    model.getState().edit('ollama.apiUrl', 'http://mac:11434')
    model.getState().discard(['worker.maxConcurrency', 'worker.maxAttempts'])
    expect(model.getState().drafts).toEqual({ 'ollama.apiUrl': 'http://mac:11434' })
    await model.getState().reset('Model servers', 'ollama.apiUrl')
    expect(fake.calls.at(-1)).toEqual({ name: 'config.reset', input: { key: 'ollama.apiUrl' } })
    expect(model.getState().drafts).toEqual({})
  })

  it('finds settings as the search changes', () => {
    const model = createViewModel(settingsModel, fakeClient({}).client, undefined)
    model.getState().search('ollama')
    expect(groupedSettings(config, model.getState().query).map((g) => g.group.name)).toEqual(['Model servers'])
  })
})
