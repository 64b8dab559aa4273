// `npm start`: build, then open the desktop app where Electron can run here;
// otherwise run the headless host and say so, in one line, with the URL to open.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { planLaunch } from './electron/launch-plan.mjs'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)

function run(command, commandArgs, options = {}) {
  return spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', ...options })
}

function build() {
  const result = run(process.execPath, [
    join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
    'build'
  ])
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}\nThe build failed; nothing was started.\n`)
    process.exit(result.status ?? 1)
  }
}

function startDesktop(plan) {
  const child = spawn(plan.electronPath, [root, ...args], {
    stdio: 'inherit',
    env: { ...process.env, KOS_SQLITE_BINDING: plan.sqliteBinding }
  })
  child.on('error', (error) => {
    process.stderr.write(`Electron could not be started (${error.message}); starting the headless host instead.\n`)
    startHeadless(`Electron could not be started: ${error.message}`)
  })
  child.on('exit', (code) => process.exit(code ?? 1))
}

function startHeadless(reason) {
  const child = spawn(process.execPath, [join(root, 'bin', 'kos.js'), 'serve', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
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
const plan = await planLaunch({ root })
if (plan.kind === 'window') startDesktop(plan)
else startHeadless(plan.reason)
