import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util/out/DebugLogger'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..')

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await getConfig(root, null, null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    await expect(
      validateConfiguration(
        { ...config, mac: { ...config.mac, hardenedRuntim: true } } as typeof config,
        new DebugLogger(false)
      )
    ).rejects.toThrow(/Invalid configuration object/)
  })

  it('builds dmg and zip for both Mac architectures with the hardened runtime and entitlements', async () => {
    const { mac } = await getConfig(root, null, null)
    expect(mac?.hardenedRuntime).toBe(true)
    const targets = (mac?.target ?? []) as { target: string; arch: string[] }[]
    expect(targets.map((t) => t.target).sort()).toEqual(['dmg', 'zip'])
    for (const t of targets) expect(t.arch.sort()).toEqual(['arm64', 'x64'])
    expect(readFileSync(join(root, mac!.entitlements as string), 'utf8')).toContain('com.apple.security.cs.allow-jit')
  })

  it('builds AppImage and deb for Linux and ships the icon and tray images it names', async () => {
    const config = await getConfig(root, null, null)
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(existsSync(join(root, config.icon as string))).toBe(true)
    for (const state of ['ok', 'degraded', 'down']) {
      for (const file of [`${state}Template.png`, `${state}Template@2x.png`, `${state}.png`])
        expect(existsSync(join(root, 'resources', 'tray', file))).toBe(true)
    }
  })

  it('keeps native modules out of the asar archive, where they can be loaded', async () => {
    const config = await getConfig(root, null, null)
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/node-llama-cpp/**'])
    )
    expect(config.npmRebuild).toBe(true)
  })

  it('installs each target’s native packages before packing it, through the hook module it names', async () => {
    const config = await getConfig(root, null, null)
    expect(config.beforePack).toBe('./scripts/electron/natives-for-arch.mjs')
    const hook = (await import(join(root, config.beforePack as string))) as { default: unknown }
    expect(typeof hook.default).toBe('function')
  })

  it('flips the fuses a hardened app with disable-library-validation needs', async () => {
    const { electronFuses } = await getConfig(root, null, null)
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true
    })
  })
})
