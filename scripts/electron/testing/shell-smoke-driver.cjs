// Loads the built shell (out/main/index.js) under plain Node with the
// electron stub in place of Electron, plays Electron's part, and prints what
// it saw as one JSON line. Run by shell-smoke.test.ts:
//   node shell-smoke-driver.cjs --data-dir DIR
const Module = require('node:module')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')

const root = join(__dirname, '..', '..', '..')
const stubPath = join(__dirname, 'electron-stub.cjs')
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? stubPath : resolve.call(this, request, ...rest)
}

const { __stub: stub, app } = require('electron')

async function until(what, probe, timeoutMs = 20_000) {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function main() {
  const report = {}
  process.env.KOS_TEST_HOOKS = '1'
  require(join(root, 'out', 'main', 'index.js'))
  stub.ready()
  if (process.env.KOS_SMOKE_EXPECT_EXIT === '1') {
    await until('the app to give up', () => stub.calls.quit.length > 0)
    process.stdout.write(
      `${JSON.stringify({ quit: stub.calls.quit, errorBoxes: stub.calls.errorBoxes, windows: stub.calls.windows.length })}\n`
    )
    process.exit(0)
  }

  const win = await until('the window', () => stub.calls.windows[0])
  report.webPreferences = win.options.webPreferences
  report.userData = app.getPath('userData')
  report.permission = await until(
    'the permission handlers',
    () =>
      stub.calls.permissionHandlers.check &&
      stub.calls.permissionHandlers.check({}, 'media', 'file://') === false &&
      'denied'
  )

  const call = await until('the IPC host', () => stub.handlers.get('kos:call'))
  const own = { senderFrame: { url: pathToFileURL(join(root, 'out', 'renderer', 'index.html')).href, parent: null } }
  report.counters = await call(own, { type: 'call', id: 1, name: 'tasks.counters', input: {} })
  report.foreign = await call(
    { senderFrame: { url: 'https://example.com/', parent: null } },
    { type: 'call', id: 2, name: 'tasks.counters', input: {} }
  )
  report.invalid = await call(own, { type: 'call', id: 3, name: 'tasks.requeue', input: { all: 'yes' } })

  const tray = stub.calls.trays[0]
  const hook = globalThis.__kosTray
  report.firstTrayImage = tray.images[0]
  report.firstTooltip = tray.tooltips[0]
  await until('a real health reading', () => hook.status().level !== 'unknown')
  report.trayImages = [...tray.images]
  report.statusAfterCheck = hook.status()

  // Pause first, so the returned task stays in the queue instead of failing again without a model server.
  hook.click('Pause autoprocessing')
  await until('autoprocessing paused', () => hook.status().autoprocessing === 'paused')
  await until('the manual-review count', () => hook.status().deferredCount === 1)
  report.returnItem = tray.menus
    .at(-1)
    .find((item) => item.label && item.label.startsWith('Return to autoprocessing')).label
  hook.click('Return to autoprocessing')
  await until('the manual-review count back at 0', () => hook.status().deferredCount === 0)
  report.countersAfterReturn = await call(own, { type: 'call', id: 4, name: 'tasks.counters', input: {} })
  report.appMenuLabels = stub.calls.appMenus.at(-1).map((item) => item.label ?? item.role)

  const quitStarted = Date.now()
  let prevented = false
  app.emit('before-quit', { preventDefault: () => undefined })
  app.emit('will-quit', { preventDefault: () => (prevented = true) })
  await until('the app to quit', () => stub.calls.quit.length > 0, 60_000)
  report.quit = { prevented, how: stub.calls.quit[0].kind, ms: stub.calls.quit[0].at - quitStarted }
  report.errorBoxes = stub.calls.errorBoxes
  process.stdout.write(`${JSON.stringify(report)}\n`)
  process.exit(0)
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ failed: error.stack, errorBoxes: stub.calls.errorBoxes })}\n`)
  process.exit(1)
})
