// electron-builder's beforePack hook: the native packages the target
// architecture needs. npm installs only the build machine's optional
// platform packages (sqlite-vec-darwin-arm64, @node-llama-cpp/mac-arm64-metal
// on Apple silicon), so an x64 build made there would ship arm64 natives
// only. Before each platform/arch is packed, the packages it lacks are
// installed for it into build/natives/<os>-<arch>, which electron-builder.yml
// copies into the app's node_modules; the project's node_modules is never touched.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** electron-builder's Arch enum, by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal']
/** electron-builder's name for a platform (its `${os}` macro) and npm's (`os` in package.json). */
const NPM_OS = { mac: 'darwin', linux: 'linux', win: 'win32' }

/** The folder electron-builder.yml copies from, for one target. */
export function stagingDir(root, os, arch) {
  return join(root, 'build', 'natives', `${os}-${arch}`)
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/**
 * The platform packages of our native dependencies that one target needs,
 * with the exact versions their parents pin. node-llama-cpp's GPU variants
 * (CUDA, Vulkan) are left out: they are hundreds of megabytes and it falls
 * back to the plain build; on the Mac, Metal is the plain build.
 *
 * @returns {{ name: string, version: string }[]}
 */
export function nativePackagesFor(root, os, arch) {
  const sqliteVec = readJson(join(root, 'node_modules', 'sqlite-vec', 'package.json')).optionalDependencies ?? {}
  const llama = readJson(join(root, 'node_modules', 'node-llama-cpp', 'package.json')).optionalDependencies ?? {}
  const vecOs = { mac: 'darwin', linux: 'linux', win: 'windows' }[os]
  const wanted = [
    ...Object.entries(sqliteVec).filter(([name]) => name === `sqlite-vec-${vecOs}-${arch}`),
    ...Object.entries(llama).filter(
      ([name]) =>
        name === `@node-llama-cpp/${os}-${arch}` || (os === 'mac' && name === `@node-llama-cpp/mac-${arch}-metal`)
    )
  ]
  return wanted.map(([name, version]) => ({ name, version }))
}

/** Installed in the project already, for this platform and CPU (so electron-builder packs it with the other dependencies). */
function installedFor(root, name, os, arch) {
  const manifest = join(root, 'node_modules', name, 'package.json')
  if (!existsSync(manifest)) return false
  const { os: oses, cpu } = readJson(manifest)
  return (!oses || oses.includes(NPM_OS[os])) && (!cpu || cpu.includes(arch))
}

function npmInstall(staging, args) {
  const result = spawnSync('npm', args, { cwd: staging, encoding: 'utf8', shell: process.platform === 'win32' })
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` }
}

/**
 * Fills the staging folder for one target with the native packages it needs
 * and the project lacks. Throws, naming the packages and npm's last lines,
 * when they cannot be installed: a build without them would ship an app whose
 * vector search and embedded engine are silently off.
 *
 * @param {{ root: string, os: 'mac' | 'linux' | 'win', arch: string,
 *   install?: (staging: string, args: string[]) => { status: number | null, output: string } }} options
 * @returns {{ staged: string[], present: string[] }}
 */
export function stageNativePackages({ root, os, arch, install = npmInstall }) {
  const staging = stagingDir(root, os, arch)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(join(staging, 'node_modules'), { recursive: true })
  const needed = nativePackagesFor(root, os, arch)
  const missing = needed.filter(({ name }) => !installedFor(root, name, os, arch))
  const present = needed.filter((p) => !missing.includes(p)).map((p) => p.name)
  if (missing.length === 0) return { staged: [], present }
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'kos-natives', private: true }))
  const specs = missing.map(({ name, version }) => `${name}@${version}`)
  const args = [
    'install',
    '--no-save',
    '--no-package-lock',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    `--os=${NPM_OS[os]}`,
    `--cpu=${arch}`,
    ...specs
  ]
  const result = install(staging, args)
  const absent = missing.filter(({ name }) => !existsSync(join(staging, 'node_modules', name, 'package.json')))
  if (result.status !== 0 || absent.length > 0) {
    throw new Error(
      `The ${os}-${arch} build needs ${specs.join(', ')}, and npm could not install them into ${staging}: ${result.output.trim().split('\n').slice(-3).join(' ')}`
    )
  }
  return { staged: missing.map((p) => p.name), present }
}

/** The beforePack hook, installing with the given installer (npm; a fake in tests). */
export function createBeforePack(install = npmInstall) {
  return async function beforePack(context) {
    const os = context.packager.platform.buildConfigurationKey
    const arch = ARCH_NAMES[context.arch] ?? String(context.arch)
    if (arch === 'universal')
      throw new Error(
        'A universal Mac build is not supported: build arm64 and x64 separately (electron-builder --mac --arm64 --x64).'
      )
    const { staged, present } = stageNativePackages({ root: context.packager.projectDir, os, arch, install })
    console.log(
      `  • native packages for ${os}-${arch}: ${[...present.map((n) => `${n} (project)`), ...staged.map((n) => `${n} (installed for this arch)`)].join(', ') || 'none'}`
    )
  }
}

/** The hook electron-builder calls before packing each platform and arch. */
export default createBeforePack()
