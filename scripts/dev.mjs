// `npm run dev`: electron-vite's dev server and Electron, with the SQLite
// binding built for Electron (the one in node_modules is Node's, for tests).
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { planLaunch } from './electron/launch-plan.mjs'

const root = join(import.meta.dirname, '..')
const plan = await planLaunch({ root })
if (plan.kind === 'headless') {
  process.stderr.write(
    `npm run dev needs Electron, which cannot run here: ${plan.reason}.\nTo work on the UI without Electron, run \`npm run serve\` and open the URL it prints.\n`
  )
  process.exit(1)
}
const child = spawn(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KOS_SQLITE_BINDING: plan.sqliteBinding }
  }
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 1))
