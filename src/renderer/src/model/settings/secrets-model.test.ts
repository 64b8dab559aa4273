import { describe, expect, it } from 'vitest'
import { fakeClient, settle } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { secretsModel } from './secrets-model'

const stored = (names: string[]) => ({
  store: 'macOS Keychain',
  unavailableReason: null,
  names: names.map((name) => ({ name, updatedAt: '2026-01-01T00:00:00.000Z' }))
})

describe('secrets model', () => {
  it('lists key names when connected, keeps the list the core answers a store or delete with, and shows a refusal', async () => {
    const fake = fakeClient({
      'secrets.list': () => ({ ok: true, value: stored([]) }),
      'secrets.set': ({ name }) =>
        name.startsWith('node:')
          ? { ok: true, value: stored([name]) }
          : { ok: false, error: { code: 'invalid_input', message: `Name a key after its node: "${name}"` } },
      'secrets.delete': () => ({ ok: true, value: stored([]) })
    })
    const model = createViewModel(secretsModel, fake.client, undefined)
    const dispose = model.connect()
    await settle()
    expect(model.getState().secrets?.names).toEqual([])
    expect(await model.getState().store('lan', 'sk-1')).toBe(false)
    expect(model.getState().error?.message).toBe('Name a key after its node: "lan"')
    expect(await model.getState().store('node:lan', 'sk-1')).toBe(true)
    expect(model.getState()).toMatchObject({ secrets: { names: [{ name: 'node:lan' }] }, error: null })
    await model.getState().remove('node:lan')
    expect(model.getState().secrets?.names).toEqual([])
    dispose()
    expect(fake.listening()).toBe(0)
  })
})
