import { describe, expect, it } from 'vitest'
import type { ConfigSnapshot, SettingEntry } from '../../../../shared/contract/config-contract'
import { limitForKind } from '../../../../shared/backend-limits'
import { limitsFrom, readNodeLimitDraft } from './models-model'

const entry = (key: string, value: number): SettingEntry =>
  ({
    key,
    category: 'Models',
    description: key,
    type: { kind: 'integer', min: 0, max: 64 },
    value,
    source: { kind: 'default' },
    default: value,
    applies: 'live',
    restartRequired: false,
    userEditable: true
  }) as unknown as SettingEntry

const snapshot = (over: Record<string, number> = {}): ConfigSnapshot => ({
  profile: 'balanced',
  profiles: [],
  dataDir: { path: '/d', source: { kind: 'default' } },
  settingsFile: '/d/settings.json',
  groups: [],
  settings: Object.entries({
    'ollama.maxHeavy': 1,
    'ollama.maxConcurrent': 0,
    'mlx.maxHeavy': 1,
    'mlx.maxConcurrent': 1,
    'worker.heavyPerBackend': 1,
    'worker.maxConcurrency': 4,
    ...over
  }).map(([k, v]) => entry(k, v))
})

describe('models view: per-node limits', () => {
  it('reads the caps from the settings: MLX one at a time, Ollama bounded only by the pool by default', () => {
    const limits = limitsFrom(snapshot())
    if (!limits) throw new Error('no limits')
    expect(limits.poolMax).toBe(4)
    expect(limitForKind('openai', limits.values)).toEqual({ heavy: 1, total: 1 })
    expect(limitForKind('ollama', limits.values)).toEqual({ heavy: 1, total: null })
  })

  it('follows a changed setting', () => {
    const limits = limitsFrom(snapshot({ 'ollama.maxConcurrent': 3, 'ollama.maxHeavy': 2 }))
    expect(limits && limitForKind('ollama', limits.values)).toEqual({ heavy: 2, total: 3 })
  })

  it('shows nothing rather than guessing when a limit is missing from the snapshot', () => {
    const partial = snapshot()
    expect(
      limitsFrom({ ...partial, settings: partial.settings.filter((s) => s.key !== 'mlx.maxConcurrent') })
    ).toBeNull()
  })

  it("reads a node's own caps from the form: empty follows Settings, numbers are checked by the contract's rules", () => {
    expect(readNodeLimitDraft('mlx-local', '', ' ')).toEqual({ ok: true, maxConcurrent: null, maxHeavy: null })
    expect(readNodeLimitDraft('mlx-local', ' 2 ', '1')).toEqual({ ok: true, maxConcurrent: 2, maxHeavy: 1 })
    expect(readNodeLimitDraft('mlx-local', '0', '')).toEqual({ ok: true, maxConcurrent: 0, maxHeavy: null })
    expect(readNodeLimitDraft('mlx-local', '-1', '0')).toEqual({
      ok: false,
      errors: {
        maxConcurrent: 'Model calls at once must be at least 0.',
        maxHeavy: 'Heavy-model calls at once must be at least 1.'
      }
    })
    expect(readNodeLimitDraft('mlx-local', 'two', '99')).toEqual({
      ok: false,
      errors: {
        maxConcurrent: 'Model calls at once must be a number.',
        maxHeavy: 'Heavy-model calls at once may be at most 16.'
      }
    })
  })
})
