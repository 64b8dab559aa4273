// better-sqlite3 in node_modules is built for Node (the tests run there);
// Electron needs one built for its own ABI and architecture. This is the one
// place that makes it, for `npm start`, `npm run dev` and the Electron e2e.
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'

/**
 * Where the binding for this Electron lives: one per Electron ABI and
 * architecture, under node_modules/.cache so `npm ci` clears it.
 *
 * @param {string} root the project directory
 * @param {string} arch Electron's own architecture (see electronArch)
 */
export function electronSqliteBindingPath(root, arch) {
  const abi = readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim()
  return join(root, 'node_modules', '.cache', 'kos', `better-sqlite3-electron-${abi}-${arch}`, 'better_sqlite3.node')
}

/**
 * The binding's path, built on first use: the prebuilt one for this Electron
 * and arch if it can be downloaded, else compiled against Electron's headers.
 * The copy is made in a temporary directory, so node_modules stays as the
 * tests need it. Throws an Error whose message is the build's last lines.
 *
 * @param {{ root: string, arch: string, env?: NodeJS.ProcessEnv }} options
 * @returns {string}
 */
export function electronSqliteBinding({ root, arch, env = process.env }) {
  const target = electronSqliteBindingPath(root, arch)
  if (existsSync(target)) return target
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'))
  const work = mkdtempSync(join(tmpdir(), 'kos-sqlite-'))
  try {
    const buildDir = `${sep}better-sqlite3${sep}build`
    cpSync(join(root, 'node_modules', 'better-sqlite3'), work, {
      recursive: true,
      filter: (src) => !src.includes(buildDir)
    })
    const withModules = { ...env, NODE_PATH: join(root, 'node_modules') }
    const run = (command, args) => spawnSync(command, args, { cwd: work, env: withModules, encoding: 'utf8' })
    let built = run(process.execPath, [
      join(root, 'node_modules', 'prebuild-install', 'bin.js'),
      '--runtime',
      'electron',
      '--target',
      version,
      '--arch',
      arch
    ])
    if (built.status !== 0) {
      built = run('npm', [
        'exec',
        '--yes',
        '--',
        'node-gyp',
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${arch}`,
        '--dist-url=https://electronjs.org/headers'
      ])
    }
    const output = join(work, 'build', 'Release', 'better_sqlite3.node')
    if (built.status !== 0 || !existsSync(output))
      throw new Error(`${built.stderr ?? built.error?.message ?? ''}`.trim().split('\n').slice(-3).join(' '))
    mkdirSync(join(target, '..'), { recursive: true })
    copyFileSync(output, target)
    return target
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
