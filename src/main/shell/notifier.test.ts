import { describe, expect, it } from 'vitest'
import { createNotifier, type ShellNotification } from './notifier'
import { INITIAL_STATUS, type ShellStatus } from './shell-status'

function setup() {
  const shown: ShellNotification[] = []
  let clock = 0
  const notifier = createNotifier({ show: (n) => shown.push(n), now: () => clock, minIntervalMs: 60_000 })
  return { shown, notifier, advance: (ms: number) => (clock += ms) }
}

const status = (over: Partial<ShellStatus>): ShellStatus => ({ ...INITIAL_STATUS, level: 'ok', reasons: [], ...over })

describe('notifications', () => {
  it('says nothing about the state found at start', () => {
    const { shown, notifier } = setup()
    notifier.observe(status({ level: 'down', deferredCount: 5 }))
    expect(shown).toEqual([])
  })

  it('takes the first real reading as the baseline: a launch with no model server running is not news', () => {
    const { shown, notifier, advance } = setup()
    notifier.observe(INITIAL_STATUS)
    notifier.observe({ ...INITIAL_STATUS, deferredCount: 2 })
    notifier.observe(status({ level: 'down', reasons: ['no model server answers'], deferredCount: 2 }))
    expect(shown).toEqual([])
    advance(60_000)
    notifier.observe(status({ level: 'ok', deferredCount: 2 }))
    expect(shown.map((n) => n.title)).toEqual(['Knowledge OS is healthy again'])
  })

  it('tells when tasks land in manual review, and opens the Tasks view', () => {
    const { shown, notifier } = setup()
    notifier.observe(status({}))
    notifier.observe(status({ deferredCount: 1 }))
    expect(shown).toEqual([
      {
        title: '1 task needs manual review',
        body: 'Automatic attempts ran out. 1 in the review queue now.',
        view: 'tasks'
      }
    ])
  })

  it('folds a burst into one notification per minute and reports the rest in the next', () => {
    const { shown, notifier, advance } = setup()
    notifier.observe(status({}))
    for (let n = 1; n <= 50; n++) {
      advance(100)
      notifier.observe(status({ deferredCount: n }))
    }
    expect(shown).toHaveLength(1)
    advance(60_000)
    notifier.observe(status({ deferredCount: 50 }))
    expect(shown).toHaveLength(2)
    expect(shown[1]?.title).toBe('49 tasks need manual review')
  })

  it('does not count tasks returned to autoprocessing as new ones', () => {
    const { shown, notifier, advance } = setup()
    notifier.observe(status({ deferredCount: 4 }))
    notifier.observe(status({ deferredCount: 0 }))
    advance(60_000)
    notifier.observe(status({ deferredCount: 1 }))
    expect(shown.map((n) => n.title)).toEqual(['1 task needs manual review'])
  })

  it('tells when health changes, with the reasons, and when it recovers', () => {
    const { shown, notifier, advance } = setup()
    notifier.observe(status({}))
    notifier.observe(status({ level: 'down', reasons: ['Ollama exited 5 times in an hour'] }))
    advance(60_000)
    notifier.observe(status({ level: 'ok' }))
    expect(shown).toEqual([
      { title: 'Knowledge OS is down', body: 'Ollama exited 5 times in an hour', view: 'checklist' },
      { title: 'Knowledge OS is healthy again', body: 'All checks pass.', view: 'checklist' }
    ])
  })
})
