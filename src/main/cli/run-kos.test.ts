import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { parseArgs } from '../config/cli-args'
import { EXIT_USAGE, runKos } from './run-kos'

const tempDir = useTempDirs()

async function kos(argv: string[], env: NodeJS.ProcessEnv = {}, untilStopped = () => Promise.resolve(), out: string[] = []) {
  const err: string[] = []
  const parsed = parseArgs(argv)
  if (!parsed.ok) throw new Error(parsed.message)
  const code = await runKos({
    args: parsed.args,
    platform: { platform: 'linux', env, home: '/nonexistent' },
    appVersion: '1.2.3',
    rendererDir: '/nonexistent',
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    untilStopped
  })
  return { code, out, err }
}

describe('kos command', () => {
  it('shows every setting with its value and source', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ 'worker.maxAttempts': 4 }))
    const { code, out } = await kos(['config', 'show', '--data-dir', dir, '--log-level', 'debug'], { KOS_PROFILE: 'fast' })
    expect(code).toBe(0)
    const row = (key: string) => out.find((l) => l.startsWith(`${key} `))?.replace(/\s+/g, ' ')
    expect(row('dataDir')).toBe(`dataDir ${dir} command-line flag --data-dir`)
    expect(row('profile')).toBe('profile fast environment variable KOS_PROFILE')
    expect(row('log.level')).toBe('log.level debug command-line flag --log-level')
    expect(row('worker.maxAttempts')).toBe(`worker.maxAttempts 4 settings file ${join(dir, 'settings.json')}`)
    expect(row('worker.maxConcurrency')).toBe('worker.maxConcurrency 8 profile "fast"')
    expect(row('worker.stuckMinutes')).toBe('worker.stuckMinutes 15 built-in default')
  })

  it('prints the settings as JSON for scripts', async () => {
    const { code, out } = await kos(['config', 'show', '--json', '--data-dir', tempDir()])
    expect(code).toBe(0)
    expect(JSON.parse(out.join('\n'))).toMatchObject({ profile: 'balanced', settings: expect.arrayContaining([expect.objectContaining({ key: 'host.port', value: 7420 })]) })
  })

  it('exits 78 on a bad setting, naming it, its value and its source', async () => {
    const { code, err } = await kos(['config', 'show', '--data-dir', tempDir()], { KOS_LOG_LEVEL: 'chatty' })
    expect(code).toBe(78)
    expect(err).toEqual(['log.level = "chatty" (from environment variable KOS_LOG_LEVEL) is not valid: expected one of debug, info, warn, error.'])
  })

  it('exits 75 from serve when the data dir is in use, naming the running instance', async () => {
    const dir = tempDir()
    let stop = (): void => undefined
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const firstOut: string[] = []
    const first = kos(['serve', '--data-dir', dir, '--port', '0'], {}, () => stopped, firstOut)
    await expect.poll(() => firstOut.length).toBeGreaterThan(0)

    const { code, err } = await kos(['serve', '--data-dir', dir, '--port', '0'])
    stop()
    expect((await first).code).toBe(0)
    expect(code).toBe(75)
    expect(err[0]).toMatch(/is in use by the headless host \(pid \d+, started .*, at http:\/\/127\.0\.0\.1:\d+\)/)
  })

  it('prints help, and exits 64 on an unknown command', async () => {
    expect((await kos(['--help'])).out[0]).toMatch(/^kos — Knowledge OS Control Center/)
    const unknown = await kos(['frobnicate'])
    expect(unknown.code).toBe(EXIT_USAGE)
    expect(unknown.err[0]).toBe('Unknown command "frobnicate". Run `kos --help` for the commands.')
  })
})
