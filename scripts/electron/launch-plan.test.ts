import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { electronArch } from './electron-binary.mjs'
import { planLaunch } from './launch-plan.mjs'
import { startFakeElectronMirror, zip, type FakeMirror } from './testing/fake-electron-mirror'

const root = join(__dirname, '..', '..')
const realElectron = join(root, 'node_modules', 'electron')
const { version } = JSON.parse(readFileSync(join(realElectron, 'package.json'), 'utf8')) as { version: string }
const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`

/** A binary that answers like Electron run as Node: it reports arm64, as Electron does under Rosetta. */
const FAKE_BINARY =
  '#!/bin/sh\nif [ "$ELECTRON_RUN_AS_NODE" = "1" ] && [ "$2" = "process.arch" ]; then echo arm64; exit 0; fi\nexit 3\n'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup = []
})

/** A project whose electron package is a fresh copy of ours: no dist, no path.txt, as after `npm ci`. */
async function freshProject(
  files: Record<string, Buffer>
): Promise<{ project: string; electronDir: string; mirror: FakeMirror; env: NodeJS.ProcessEnv }> {
  const project = mkdtempSync(join(tmpdir(), 'kos-start-'))
  const electronDir = join(project, 'node_modules', 'electron')
  mkdirSync(electronDir, { recursive: true })
  for (const file of ['index.js', 'install.js', 'package.json', 'checksums.json', 'abi_version'])
    copyFileSync(join(realElectron, file), join(electronDir, file))
  const mirror = await startFakeElectronMirror(`v${version}`, files)
  cleanup.push(
    () => mirror.close(),
    async () => rmSync(project, { recursive: true, force: true })
  )
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(npm_config_electron|npm_package_config_electron|electron_|ELECTRON_|HTTPS?_PROXY|https?_proxy)/i.test(key)
    )
  )
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    // electron's installer resolves @electron/get and its extractor from here, as from the project's own node_modules.
    NODE_PATH: join(root, 'node_modules'),
    ELECTRON_MIRROR: mirror.url,
    electron_use_remote_checksums: '1',
    electron_config_cache: join(project, 'electron-cache'),
    DISPLAY: ':99'
  }
  return { project, electronDir, mirror, env }
}

describe('npm start finds Electron on the first run', () => {
  it('downloads the binary from the mirror and takes the window path, not the headless fallback', async () => {
    const fakeZip = zip([
      { name: 'electron', content: FAKE_BINARY, mode: 0o755 },
      { name: 'version', content: `v${version}` }
    ])
    const { project, electronDir, mirror, env } = await freshProject({ [zipName]: fakeZip })
    const built: { arch: string }[] = []
    const plan = await planLaunch({
      root: project,
      electronDir,
      env,
      platform: 'linux',
      buildBinding: ({ arch }) => (built.push({ arch }), join(project, 'binding.node'))
    })

    expect(plan).toEqual({
      kind: 'window',
      electronPath: join(electronDir, 'dist', 'electron'),
      arch: 'arm64',
      sqliteBinding: join(project, 'binding.node')
    })
    expect([...mirror.requests].sort()).toEqual([`/v${version}/SHASUMS256.txt`, `/v${version}/${zipName}`])
    // SQLite is built for the architecture Electron runs as, not Node's.
    expect(built).toEqual([{ arch: 'arm64' }])

    const again = await planLaunch({
      root: project,
      electronDir,
      env,
      platform: 'linux',
      buildBinding: () => join(project, 'binding.node')
    })
    expect(again.kind).toBe('window')
    expect(mirror.requests.filter((r) => r.endsWith('.zip'))).toHaveLength(1)
  })

  it('falls back to the headless host with the installer’s reason when the download fails', async () => {
    const { project, electronDir, env } = await freshProject({})
    const plan = await planLaunch({ root: project, electronDir, env, platform: 'linux', buildBinding: () => 'unused' })
    expect(plan.kind).toBe('headless')
    expect(plan.kind === 'headless' && plan.reason).toMatch(/^its binary could not be installed: .*404/)
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false)
  })

  it('falls back when the binary is there but the SQLite build for Electron fails, naming the arch', async () => {
    const { project, electronDir, env } = await freshProject({
      [zipName]: zip([{ name: 'electron', content: FAKE_BINARY, mode: 0o755 }])
    })
    const plan = await planLaunch({
      root: project,
      electronDir,
      env,
      platform: 'linux',
      buildBinding: () => {
        throw new Error('no prebuilt binary, no compiler')
      }
    })
    expect(plan).toEqual({
      kind: 'headless',
      reason: 'SQLite could not be built for Electron arm64 (no prebuilt binary, no compiler)'
    })
  })
})

describe('Electron’s architecture', () => {
  it('is what the binary reports, even where Node runs as another arch (Rosetta)', () => {
    expect(
      electronArch('/Electron', {
        platform: 'darwin',
        arch: 'x64',
        env: {},
        run: (file) => (file === '/Electron' ? 'arm64' : '')
      })
    ).toBe('arm64')
  })

  it('falls back to the Rosetta test electron’s installer makes when the binary cannot be asked', () => {
    const run = (file: string, args: string[]) =>
      file === 'sysctl' && args.includes('sysctl.proc_translated') ? '1' : ''
    expect(electronArch('/Electron', { platform: 'darwin', arch: 'x64', env: {}, run })).toBe('arm64')
    expect(electronArch('/Electron', { platform: 'darwin', arch: 'x64', env: {}, run: () => '0' })).toBe('x64')
    expect(
      electronArch('/Electron', { platform: 'darwin', arch: 'x64', env: { npm_config_arch: 'arm64' }, run: () => '' })
    ).toBe('arm64')
  })
})
