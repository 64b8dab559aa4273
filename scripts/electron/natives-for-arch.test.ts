import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { nativePackagesFor, stageNativePackages, stagingDir } from './natives-for-arch.mjs'

const realRoot = join(__dirname, '..', '..')
const optional = (pkg: string): Record<string, string> =>
  (
    JSON.parse(readFileSync(join(realRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      optionalDependencies: Record<string, string>
    }
  ).optionalDependencies
const roots: string[] = []
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function writePackage(dir: string, manifest: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest))
}

/** A project as `npm ci` leaves it on Apple silicon: only the arm64 platform packages. */
function appleSiliconProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'kos-natives-'))
  roots.push(root)
  writePackage(join(root, 'node_modules', 'sqlite-vec'), {
    name: 'sqlite-vec',
    optionalDependencies: optional('sqlite-vec')
  })
  writePackage(join(root, 'node_modules', 'node-llama-cpp'), {
    name: 'node-llama-cpp',
    optionalDependencies: optional('node-llama-cpp')
  })
  writePackage(join(root, 'node_modules', 'sqlite-vec-darwin-arm64'), {
    name: 'sqlite-vec-darwin-arm64',
    os: ['darwin'],
    cpu: ['arm64']
  })
  writePackage(join(root, 'node_modules', '@node-llama-cpp', 'mac-arm64-metal'), {
    name: '@node-llama-cpp/mac-arm64-metal',
    os: ['darwin'],
    cpu: ['arm64']
  })
  return root
}

describe('native packages for each Mac architecture', () => {
  it('names the platform packages one target needs, at the versions their parents pin', () => {
    const vec = optional('sqlite-vec')['sqlite-vec-darwin-x64']
    const llama = optional('node-llama-cpp')['@node-llama-cpp/mac-x64']
    expect(nativePackagesFor(realRoot, 'mac', 'x64')).toEqual([
      { name: 'sqlite-vec-darwin-x64', version: vec },
      { name: '@node-llama-cpp/mac-x64', version: llama }
    ])
    expect(nativePackagesFor(realRoot, 'mac', 'arm64').map((p) => p.name)).toEqual([
      'sqlite-vec-darwin-arm64',
      '@node-llama-cpp/mac-arm64-metal'
    ])
    expect(nativePackagesFor(realRoot, 'linux', 'x64').map((p) => p.name)).toEqual([
      'sqlite-vec-linux-x64',
      '@node-llama-cpp/linux-x64'
    ])
  })

  it('installs the x64 packages for an x64 build on Apple silicon into the staging folder, for darwin/x64, never into node_modules', () => {
    const root = appleSiliconProject()
    const calls: { staging: string; args: string[] }[] = []
    const result = stageNativePackages({
      root,
      os: 'mac',
      arch: 'x64',
      install: (staging, args) => {
        calls.push({ staging, args })
        for (const name of ['sqlite-vec-darwin-x64', '@node-llama-cpp/mac-x64'])
          writePackage(join(staging, 'node_modules', name), { name })
        return { status: 0, output: '' }
      }
    })
    expect(result).toEqual({ staged: ['sqlite-vec-darwin-x64', '@node-llama-cpp/mac-x64'], present: [] })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.staging).toBe(stagingDir(root, 'mac', 'x64'))
    expect(calls[0]?.args).toEqual(
      expect.arrayContaining([
        'install',
        '--no-save',
        '--os=darwin',
        '--cpu=x64',
        `sqlite-vec-darwin-x64@${optional('sqlite-vec')['sqlite-vec-darwin-x64']}`,
        `@node-llama-cpp/mac-x64@${optional('node-llama-cpp')['@node-llama-cpp/mac-x64']}`
      ])
    )
    expect(existsSync(join(root, 'node_modules', 'sqlite-vec-darwin-x64'))).toBe(false)
  })

  it('installs nothing for the build machine’s own arch, and empties a stale staging folder', () => {
    const root = appleSiliconProject()
    writePackage(join(stagingDir(root, 'mac', 'arm64'), 'node_modules', 'left-over'), { name: 'left-over' })
    const result = stageNativePackages({
      root,
      os: 'mac',
      arch: 'arm64',
      install: () => {
        throw new Error('must not install')
      }
    })
    expect(result).toEqual({ staged: [], present: ['sqlite-vec-darwin-arm64', '@node-llama-cpp/mac-arm64-metal'] })
    expect(existsSync(join(stagingDir(root, 'mac', 'arm64'), 'node_modules', 'left-over'))).toBe(false)
  })

  it('stops the build, naming the packages and npm’s words, when they cannot be installed', () => {
    const root = appleSiliconProject()
    expect(() =>
      stageNativePackages({
        root,
        os: 'mac',
        arch: 'x64',
        install: () => ({ status: 1, output: 'npm error code ENOTFOUND\nnpm error network request failed' })
      })
    ).toThrow(
      /^The mac-x64 build needs sqlite-vec-darwin-x64@[\d.]+, @node-llama-cpp\/mac-x64@[\d.]+, and npm could not install them into .*: npm error code ENOTFOUND npm error network request failed$/
    )
  })
})
