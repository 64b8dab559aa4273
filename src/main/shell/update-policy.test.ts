import { describe, expect, it } from 'vitest'
import {
  createUpdatePolicy,
  updateFeed,
  UPDATE_CHECK_INTERVAL_MS,
  type RestartChoice,
  type UpdateState
} from './update-policy'

function setup(options: { running?: number; choice?: RestartChoice; off?: string } = {}) {
  let clock = 1_000
  let running = options.running ?? 0
  const calls: string[] = []
  const states: UpdateState[] = []
  const policy = createUpdatePolicy({
    now: () => clock,
    onChange: (s) => states.push(s),
    ...(options.off ? { off: options.off } : {}),
    actions: {
      check: () => calls.push('check'),
      install: () => calls.push('install'),
      runningTasks: async () => running,
      confirmRestart: async (version, n) => (calls.push(`confirm ${version} ${n}`), options.choice ?? 'cancel')
    }
  })
  return { policy, calls, states, advance: (ms: number) => (clock += ms), setRunning: (n: number) => (running = n) }
}

describe('when the app looks for updates', () => {
  it('checks at start, then once a day, not on every tick', () => {
    const { policy, calls, advance } = setup()
    policy.tick()
    policy.notAvailable()
    advance(60 * 60 * 1000)
    policy.tick()
    expect(calls).toEqual(['check'])
    advance(UPDATE_CHECK_INTERVAL_MS)
    policy.tick()
    expect(calls).toEqual(['check', 'check'])
  })

  it('does not check again while an update downloads or waits for a restart', () => {
    const { policy, calls, advance } = setup()
    policy.tick()
    policy.available('1.2.0')
    advance(2 * UPDATE_CHECK_INTERVAL_MS)
    policy.tick()
    policy.downloaded('1.2.0')
    advance(2 * UPDATE_CHECK_INTERVAL_MS)
    policy.tick()
    expect(calls).toEqual(['check'])
  })

  it('tries a failed check again the next day, not in a loop', () => {
    const { policy, calls, advance } = setup()
    policy.tick()
    policy.failed('net::ERR_INTERNET_DISCONNECTED')
    policy.tick()
    expect(calls).toEqual(['check'])
    advance(UPDATE_CHECK_INTERVAL_MS)
    policy.tick()
    expect(calls).toEqual(['check', 'check'])
  })

  it('never checks when updates are off, and offers nothing in the menus', () => {
    const { policy, calls } = setup({ off: 'updates are off (Settings → Updates)' })
    policy.tick()
    policy.checkNow()
    expect(calls).toEqual([])
    expect(policy.menuEntry()).toBeNull()
  })
})

describe('what the menus offer', () => {
  it('goes from Check for Updates to the download’s progress to Restart to Update', () => {
    const { policy } = setup()
    expect(policy.menuEntry()).toEqual({ label: 'Check for Updates…', enabled: true, action: 'check' })
    policy.tick()
    expect(policy.menuEntry()).toEqual({ label: 'Checking for Updates…', enabled: false, action: null })
    policy.available('1.2.0')
    policy.progress(41.6)
    expect(policy.menuEntry()).toEqual({ label: 'Downloading Update 1.2.0 (42%)…', enabled: false, action: null })
    policy.downloaded('1.2.0')
    expect(policy.menuEntry()).toEqual({ label: 'Restart to Update (1.2.0)', enabled: true, action: 'restart' })
  })
})

describe('restarting into an update', () => {
  it('installs at once when no task is running', async () => {
    const { policy, calls } = setup({ running: 0 })
    policy.downloaded('1.2.0')
    await policy.restartRequested()
    expect(calls).toEqual(['install'])
  })

  it('asks first while tasks run, and does nothing when the person declines', async () => {
    const { policy, calls } = setup({ running: 3, choice: 'cancel' })
    policy.downloaded('1.2.0')
    await policy.restartRequested()
    expect(calls).toEqual(['confirm 1.2.0 3'])
    expect(policy.state()).toEqual({ kind: 'ready', version: '1.2.0' })
  })

  it('restarts over running tasks only when the person says so', async () => {
    const { policy, calls } = setup({ running: 2, choice: 'now' })
    policy.downloaded('1.2.0')
    await policy.restartRequested()
    expect(calls).toEqual(['confirm 1.2.0 2', 'install'])
  })

  it('waits for the running tasks to finish when asked to, then installs', async () => {
    const { policy, calls, setRunning } = setup({ running: 2, choice: 'when-idle' })
    policy.downloaded('1.2.0')
    await policy.restartRequested()
    expect(policy.state()).toEqual({ kind: 'waiting-for-tasks', version: '1.2.0', running: 2 })
    setRunning(1)
    await policy.tasksChanged()
    expect(calls).toEqual(['confirm 1.2.0 2'])
    expect(policy.menuEntry()?.label).toBe('Restart to Update Now (1 running task)')
    setRunning(0)
    await policy.tasksChanged()
    expect(calls).toEqual(['confirm 1.2.0 2', 'install'])
  })

  it('never restarts on its own when nothing was downloaded', async () => {
    const { policy, calls } = setup()
    await policy.restartRequested()
    await policy.tasksChanged()
    expect(calls).toEqual([])
  })
})

describe('the feed from the settings', () => {
  it('is a generic URL, a GitHub repository, or off with the reason and what to set', () => {
    expect(updateFeed('generic', 'https://updates.example.org/kos')).toEqual({
      provider: 'generic',
      url: 'https://updates.example.org/kos'
    })
    expect(updateFeed('github', 'https://github.com/acme/kos.git')).toEqual({
      provider: 'github',
      owner: 'acme',
      repo: 'kos'
    })
    expect(updateFeed('off', 'https://github.com/acme/kos')).toEqual({ off: 'updates are off (Settings → Updates)' })
    expect(updateFeed('github', 'https://gitlab.com/acme/kos')).toEqual({
      off: 'updates.url https://gitlab.com/acme/kos is not a GitHub repository URL; use https://github.com/<owner>/<repo>'
    })
    expect(updateFeed('generic', '')).toEqual({
      off: 'updates.provider is generic but updates.url is empty; set it to the URL of the folder holding latest-mac.yml'
    })
  })
})
