import { describe, expect, it } from 'vitest'
import { parseArgs } from './cli-args'

describe('kos arguments', () => {
  it('reads commands, the data dir, setting flags and --set', () => {
    const parsed = parseArgs([
      'serve',
      '--data-dir',
      '/d',
      '--port=8080',
      '--allow-remote',
      '--set',
      'worker.maxAttempts=5',
      '--json'
    ])
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.args.positionals).toEqual(['serve'])
    expect(parsed.args.dataDir).toBe('/d')
    expect(parsed.args.json).toBe(true)
    expect(Object.fromEntries(parsed.args.settings)).toEqual({
      'host.port': { flag: '--port', raw: '8080' },
      'host.allowRemote': { flag: '--allow-remote', raw: 'true' },
      'worker.maxAttempts': { flag: '--set worker.maxAttempts', raw: '5' }
    })
  })

  it('reads the project and review flags of one command, and names the value each one needs', () => {
    const parsed = parseArgs([
      'workflows',
      'run',
      '--folder',
      '~/app',
      '--test-command=npm test -- --run',
      '--model',
      'qwen2.5:7b',
      '--expert=Engineer'
    ])
    expect(parsed).toMatchObject({
      ok: true,
      args: { folder: '~/app', testCommand: 'npm test -- --run', model: 'qwen2.5:7b', expert: 'Engineer' }
    })
    expect(parseArgs(['workflows', 'run', '--folder'])).toEqual({
      ok: false,
      message: '--folder needs the project folder, e.g. --folder ~/code/app.'
    })
    expect(parseArgs(['--test-command', '--json'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--test-command "npm test"')
    })
    expect(parseArgs(['--model=  '])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--model needs a chat model name')
    })
    expect(parseArgs(['--expert'])).toMatchObject({
      ok: false,
      message: expect.stringContaining("--expert needs an expert's name")
    })
  })

  it('refuses unknown flags, a flag without its value and --set of an unknown key, saying what to do', () => {
    expect(parseArgs(['--colour'])).toEqual({
      ok: false,
      message: 'Unknown option --colour. Run `kos --help` for the options.'
    })
    expect(parseArgs(['serve', '--port'])).toEqual({ ok: false, message: '--port needs a value (host.port).' })
    expect(parseArgs(['--data-dir'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--data-dir needs a folder path')
    })
    expect(parseArgs(['--set', 'nope=1'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('known setting key; got "nope=1"')
    })
  })

  it('skips unknown flags in lenient mode, as Electron passes Chromium switches through', () => {
    const parsed = parseArgs(['--inspect=9229', '--no-sandbox', '--profile', 'fast'], false)
    expect(parsed.ok && Object.fromEntries(parsed.args.settings)).toEqual({
      profile: { flag: '--profile', raw: 'fast' }
    })
  })
})
