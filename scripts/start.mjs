// `npm start`: build, then open the desktop app where Electron can run here;
// otherwise run the headless host and say so, in one line, with the URL to open.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)

function run(command, commandArgs, options = {}) {
  return spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', ...options })
}

function build() {
  const result = run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}\nThe build failed; nothing was started.\n`)
    process.exit(result.status ?? 1)
  }
}

/** Electron downloads its binary on first use; this asks for it once and reports why it is not there. */
function electronBinary() {
  const probe = run(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { timeout: 300_000 })
  if (probe.status !== 0 || !existsSync(probe.stdout)) {
    const cause = `${probe.stderr ?? ''}`.split('\n').find((l) => /error|failed/i.test(l))?.trim() ?? 'no binary'
    return { missing: `its binary could not be installed: ${cause}` }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { missing: 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset' }
  }
  return { path: probe.stdout }
}

/**
 * better-sqlite3 in node_modules is built for Node (the tests run there).
 * Electron needs one built for its own ABI: fetch the prebuilt one, or
 * compile it, once per Electron ABI, into node_modules/.cache.
 */
function electronSqliteBinding() {
  const electronPkg = join(root, 'node_modules', 'electron')
  const abi = readFileSync(join(electronPkg, 'abi_version'), 'utf8').trim()
  const { version } = JSON.parse(readFileSync(join(electronPkg, 'package.json'), 'utf8'))
  const target = join(root, 'node_modules', '.cache', 'kos', `better-sqlite3-electron-${abi}-${process.arch}`, 'better_sqlite3.node')
  if (existsSync(target)) return target
  const work = mkdtempSync(join(tmpdir(), 'kos-sqlite-'))
  try {
    cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })
    const nodeModules = { ...process.env, NODE_PATH: join(root, 'node_modules') }
    let built = run(process.execPath, [join(root, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', version, '--arch', process.arch], { cwd: work, env: nodeModules })
    if (built.status !== 0) {
      built = run('npm', ['exec', '--yes', '--', 'node-gyp', 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, env: nodeModules })
    }
    const output = join(work, 'build', 'Release', 'better_sqlite3.node')
    if (built.status !== 0 || !existsSync(output)) throw new Error(`${built.stderr}`.trim().split('\n').slice(-3).join(' '))
    mkdirSync(join(target, '..'), { recursive: true })
    copyFileSync(output, target)
    return target
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function startDesktop(electronPath) {
  let binding
  try {
    binding = electronSqliteBinding()
  } catch (error) {
    process.stderr.write(`SQLite could not be built for Electron (${error.message}); starting the headless host instead.\n`)
    return startHeadless('SQLite could not be built for Electron')
  }
  const child = spawn(electronPath, [root, ...args], { stdio: 'inherit', env: { ...process.env, KOS_SQLITE_BINDING: binding } })
  child.on('exit', (code) => process.exit(code ?? 1))
}

function startHeadless(reason) {
  const child = spawn(process.execPath, [join(root, 'bin', 'kos.js'), 'serve', '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  lines.once('line', (line) => {
    const started = JSON.parse(line)
    console.log(`Electron cannot run here (${reason}), so the headless host is running instead. Open: ${started.url}`)
    console.log(`Read-only access: ${started.readOnlyUrl}   Data: ${started.dataDir}   Ctrl+C stops.`)
    lines.on('line', (rest) => console.log(rest))
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 1))
}

build()
const electron = electronBinary()
if ('path' in electron) startDesktop(electron.path)
else startHeadless(electron.missing)
