import { describe, expect, it } from 'vitest'
import { describeSession } from './app-handlers'

describe('app.session', () => {
  it('reports a read-only caller on the headless host with a quarter of the work-starting rate', () => {
    expect(describeSession({ scopes: new Set(['read']), transport: 'ws' }, 12)).toEqual({
      access: 'readOnly',
      scopes: ['read'],
      workPerMinute: 3
    })
  })

  it('reports full access with the whole rate over HTTP, and no limit in the desktop window', () => {
    expect(describeSession({ scopes: new Set(['write', 'read']), transport: 'http' }, 12)).toEqual({
      access: 'full',
      scopes: ['read', 'write'],
      workPerMinute: 12
    })
    expect(describeSession({ scopes: new Set(['read', 'write']), transport: 'ipc' }, 12)).toEqual({
      access: 'full',
      scopes: ['read', 'write'],
      workPerMinute: null
    })
  })
})
