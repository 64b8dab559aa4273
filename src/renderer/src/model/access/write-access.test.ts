import { describe, expect, it } from 'vitest'
import type { Session } from '../../../../shared/contract/app-contract'
import { CALLS, type CallName } from '../../../../shared/contract/contract'
import { WORK_STARTING_CALLS } from '../../../../shared/contract/limits'
import { rpcError } from '../../../../shared/contract/rpc-error'
import { fakeClient } from '../testing/fake-client'
import { plainRefusal, withPlainRefusals, writeBlockReason } from './write-access'

const readOnly: Session = { access: 'readOnly', scopes: ['read'], workPerMinute: 3 }
const full: Session = { access: 'full', scopes: ['read', 'write'], workPerMinute: 12 }
const desktop: Session = { access: 'full', scopes: ['read', 'write'], workPerMinute: null }

describe('write access', () => {
  it('blocks exactly the calls the contract scopes as write and those that start work, in a read-only window, naming what the control does', () => {
    for (const [name, spec] of Object.entries(CALLS) as [CallName, (typeof CALLS)[CallName]][]) {
      expect(writeBlockReason(readOnly, name) !== null).toBe(spec.scope === 'write' || WORK_STARTING_CALLS.has(name))
      expect(writeBlockReason(full, name)).toBeNull()
    }
    expect(writeBlockReason(readOnly, 'tasks.create')).toBe(
      'Read-only window: creating a task needs the full-access link.'
    )
    expect(writeBlockReason(readOnly, 'board.consult')).toContain('asking the board')
  })

  it('blocks nothing before the core has said what the session may do', () => {
    expect(writeBlockReason(null, 'tasks.create')).toBeNull()
  })

  it('starts no work from a read-only window, not even the read calls that do, in the words every write uses', () => {
    expect(writeBlockReason(readOnly, 'checklist.run')).toBe(
      'Read-only window: running the checks needs the full-access link.'
    )
    expect(writeBlockReason(readOnly, 'models.scan')).toBe(
      'Read-only window: scanning the model servers needs the full-access link.'
    )
    expect(writeBlockReason(readOnly, 'tasks.list')).toBeNull()
    expect(writeBlockReason(full, 'checklist.run')).toBeNull()
    expect(writeBlockReason(desktop, 'models.scan')).toBeNull()
  })

  it('puts refusals in plain words: what was tried, what to open instead, when to try again', () => {
    expect(
      plainRefusal(rpcError('forbidden', 'Call "tasks.create" needs write access', { call: 'tasks.create' }))
    ).toBe('This window is read-only: creating a task needs the full-access link (the first URL `kos serve` printed).')
    expect(plainRefusal(rpcError('rate_limited', 'x', { call: 'checklist.run', retryAfterMs: 12_300 }))).toBe(
      'This was asked for too often from this window: try again in 13 s.'
    )
    expect(plainRefusal(rpcError('not_found', 'No task "t1". Refresh the list.', { call: 'tasks.get' }))).toBe(
      'No task "t1". Refresh the list.'
    )
  })

  it('gives every view model the plain words, whichever call was refused, and leaves good replies alone', async () => {
    const fake = fakeClient({
      'tasks.create': () => ({
        ok: false,
        error: rpcError('forbidden', 'Call "tasks.create" needs write access…', { call: 'tasks.create' })
      }),
      'tasks.counters': () => ({ ok: false, error: rpcError('unavailable', 'starting') })
    })
    const client = withPlainRefusals(fake.client)
    const refused = await client.call('tasks.create', { title: 'x', prompt: 'y' } as never)
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        call: 'tasks.create',
        message: expect.stringContaining('This window is read-only: creating a task')
      }
    })
    expect(await client.call('tasks.counters', {})).toMatchObject({ ok: false, error: { message: 'starting' } })
  })
})
