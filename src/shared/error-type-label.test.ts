import { describe, expect, it } from 'vitest'
import { TASK_ERROR_TYPES } from './contract/tasks-contract'
import { ERROR_TYPE_LABEL, errorTypeCounts, errorTypeLabel } from './error-type-label'

describe('error type labels', () => {
  it('words every error type for people, never with its raw key', () => {
    for (const type of TASK_ERROR_TYPES) {
      expect(errorTypeLabel(type)).toBe(ERROR_TYPE_LABEL[type])
      expect(errorTypeLabel(type)).not.toContain('_')
    }
    expect(errorTypeLabel('runner_terminated')).toBe('Model runner terminated')
    expect(errorTypeLabel(null)).toBe('Other error')
    expect(errorTypeLabel('from_a_newer_build')).toBe('from_a_newer_build')
  })

  it('lists counts by error type most first, in the same words', () => {
    expect(errorTypeCounts({ timeout: 1, runner_terminated: 2 })).toBe('Model runner terminated ×2, Timeout ×1')
    expect(errorTypeCounts({})).toBe('')
  })
})
