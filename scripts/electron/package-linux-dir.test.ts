import { createHash } from 'node:crypto'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { listPackage, statFile, extractFile } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import Database from 'better-sqlite3'
import { Arch, build, Platform } from 'electron-builder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadVectorExtension, unpackedPath } from '../../src/main/knowledge/load-vector-extension'
import { createBeforePack, stagingDir } from './natives-for-arch.mjs'

const root = join(__dirname, '..', '..')
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** How the wire stores a fuse: the characters '0' and '1'. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const

/**
 * A stand-in for Electron's Linux distribution: an `electron` file carrying
 * the real fuse wire (sentinel, version 1, eight fuses all enabled), so
 * electron-builder's fuse flipping and @electron/fuses' reading work on it.
 */
function stubElectronDist(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true })
  writeFileSync(
    join(dir, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\nexit 0\n'),
      Buffer.from(SENTINEL),
      Buffer.from([1, 8]),
      Buffer.from('11111111')
    ])
  )
  chmodSync(join(dir, 'electron'), 0o755)
  writeFileSync(
    join(dir, 'version'),
    JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
  )
  writeFileSync(join(dir, 'LICENSE'), 'stub')
}

/** Size and mtime of every file under the given node_modules folders, and the top-level listing. */
function fingerprint(): string {
  const nm = join(root, 'node_modules')
  const hash = createHash('sha256').update(readdirSync(nm).sort().join('\n'))
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else {
        const s = statSync(path)
        hash.update(`${relative(nm, path)} ${s.size} ${s.mtimeMs}\n`)
      }
    }
  }
  for (const pkg of ['better-sqlite3', 'sqlite-vec', 'sqlite-vec-linux-x64', '@node-llama-cpp', 'electron'])
    walk(join(nm, pkg))
  return hash.digest('hex')
}

/**
 * npm's part in the hook, offline: "installs" a platform package the project
 * lacks by copying its x64 sibling under the asked-for name and CPU, so the
 * staging folder → files → asarUnpack path runs for real.
 */
const installCalls: string[][] = []
function fakeNpmInstall(staging: string, args: string[]): { status: number; output: string } {
  installCalls.push(args)
  const cpu = args.find((a) => a.startsWith('--cpu='))?.slice('--cpu='.length) ?? ''
  for (const spec of args.filter((a) => !a.startsWith('-') && a !== 'install')) {
    const name = spec.slice(0, spec.lastIndexOf('@'))
    const target = join(staging, 'node_modules', name)
    cpSync(join(root, 'node_modules', name.replace(cpu, 'x64')), target, { recursive: true })
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(join(target, 'package.json'), JSON.stringify({ ...manifest, name, cpu: [cpu] }))
  }
  return { status: 0, output: '' }
}

const work = mkdtempSync(join(tmpdir(), 'kos-package-'))
// arm64: the architecture this machine lacks sqlite-vec's package for, as an Intel build lacks it on Apple silicon.
const appOut = join(work, 'dist', 'linux-arm64-unpacked')
const resources = join(appOut, 'resources')
const asar = join(resources, 'app.asar')
let before = ''
let files: string[] = []

beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'index.js')))
    throw new Error('out/main/index.js is missing: run `npm run build` first (npm test does)')
  before = fingerprint()
  const electronDist = join(work, 'electron-dist')
  stubElectronDist(electronDist)
  // The project's own configuration, with only what cannot be had here replaced: no Electron download, no rebuild for its ABI.
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', Arch.arm64),
    publish: 'never',
    config: {
      electronDist,
      npmRebuild: false,
      directories: { output: join(work, 'dist') },
      beforePack: createBeforePack(fakeNpmInstall)
    }
  })
  files = listPackage(asar, { isPack: false }).map((f) => f.replace(/^[/\\]/, ''))
}, 240_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  rmSync(stagingDir(root, 'linux', 'arm64'), { recursive: true, force: true })
})

describe('electron-builder --linux dir, with a stub Electron', () => {
  it('keeps every native module and loadable extension outside the archive', () => {
    const natives = files.filter((f) => /\.(node|so|dylib)$/.test(f))
    expect(natives.some((f) => f.endsWith('better_sqlite3.node'))).toBe(true)
    expect(natives.some((f) => f.endsWith('vec0.so'))).toBe(true)
    for (const file of natives) {
      expect(statFile(asar, file, false), file).toMatchObject({ unpacked: true })
      expect(existsSync(join(resources, 'app.asar.unpacked', file)), file).toBe(true)
    }
  })

  it('installs the target arch’s missing native package for that OS and CPU, and ships it unpacked', () => {
    expect(installCalls).toHaveLength(1)
    expect(installCalls[0]).toEqual(expect.arrayContaining(['--no-save', '--os=linux', '--cpu=arm64']))
    expect(installCalls[0]?.some((a) => a.startsWith('sqlite-vec-linux-arm64@'))).toBe(true)
    expect(statFile(asar, 'node_modules/sqlite-vec-linux-arm64/vec0.so', false)).toMatchObject({ unpacked: true })
    expect(existsSync(unpackedPath(join(asar, 'node_modules', 'sqlite-vec-linux-arm64', 'vec0.so')))).toBe(true)
  })

  it('resolves sqlite-vec to a file outside the archive, which SQLite loads', () => {
    const inArchive = join(asar, 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so')
    const resolved = unpackedPath(inArchive)
    expect(resolved).toBe(join(resources, 'app.asar.unpacked', 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so'))
    const db = new Database(':memory:')
    try {
      expect(loadVectorExtension(db, () => inArchive)).toMatchObject({ ok: true, path: resolved })
    } finally {
      db.close()
    }
  })

  it('ships the app, the llama worker and node-llama-cpp with its platform binaries', () => {
    for (const file of [
      'out/main/index.js',
      'out/main/llama-worker.js',
      'out/preload/index.js',
      'out/renderer/index.html',
      'package.json'
    ])
      expect(files).toContain(file)
    expect(statFile(asar, 'node_modules/node-llama-cpp/package.json', false)).toMatchObject({ unpacked: true })
    expect(
      existsSync(join(resources, 'app.asar.unpacked', 'node_modules', '@node-llama-cpp', 'linux-arm64', 'bins'))
    ).toBe(true)
    expect(existsSync(join(resources, 'tray', 'okTemplate.png'))).toBe(true)
  })

  it('ships the strict CSP: the dev server’s relaxations stay out of the build', () => {
    const html = extractFile(asar, 'out/renderer/index.html').toString()
    expect(html).toContain("style-src 'self'")
    expect(html).not.toContain('unsafe-inline')
  })

  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect; only the integrity-checked asar', async () => {
    const wire = await getCurrentFuseWire(join(appOut, 'knowledge-os-control-center'))
    const state = (fuse: FuseV1Options): number | undefined => (wire as unknown as Record<number, number>)[fuse]
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE)
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE)
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE)
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE)
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE)
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE)
  })

  it('leaves the project’s own node_modules as the tests need it', () => {
    expect(fingerprint()).toBe(before)
  })
})
