import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS, type ResultFrame } from '../../shared/contract/wire'
import { startTestCore } from '../test-support/running-core'
import { memoryLogger } from '../test-support/memory-logger'
import { useTempDirs } from '../test-support/temp-dir'
import { bindIpcHost, rendererUrlMatcher, type InvokeEventLike, type IpcMainLike } from './ipc-host'

const tempDir = useTempDirs()
const APP_URL = 'file:///Applications/KOS.app/Contents/Resources/app.asar/out/renderer/index.html'

function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel)
  }
  const invoke = (event: InvokeEventLike, frame: unknown) =>
    handlers.get(IPC_CHANNELS.call)!(event, frame) as Promise<ResultFrame>
  return { ipcMain, invoke, handlers }
}

function bound() {
  const core = startTestCore(tempDir())
  const { logger, records } = memoryLogger()
  const fake = fakeIpcMain()
  const unbind = bindIpcHost({
    ipcMain: fake.ipcMain,
    dispatcher: core.dispatcher,
    log: logger,
    trustedUrl: rendererUrlMatcher(APP_URL, undefined)
  })
  return { core, records, unbind, ...fake }
}

const ownFrame: InvokeEventLike = { senderFrame: { url: `${APP_URL}#/settings`, parent: null } }

describe('Electron IPC host', () => {
  it('runs a call from the app window through the core', async () => {
    const { core, invoke } = bound()
    const reply = await invoke(ownFrame, { type: 'call', id: 1, name: 'config.get', input: {} })
    expect(reply).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { profile: 'balanced' } } })
    await core.close()
  })

  it('answers malformed payloads with typed errors instead of throwing', async () => {
    const { core, invoke } = bound()
    expect(await invoke(ownFrame, undefined)).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'bad_request' } }
    })
    expect(await invoke(ownFrame, { type: 'call', id: 2, name: 'config.set', input: { key: 42 } })).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'invalid_input' } }
    })
    await core.close()
  })

  it('refuses calls from a frame that is not the app window itself', async () => {
    const { core, invoke, records } = bound()
    const foreign: InvokeEventLike[] = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: `${APP_URL}`, parent: {} } },
      { senderFrame: null }
    ]
    for (const event of foreign) {
      expect(
        await invoke(event, { type: 'call', id: 1, name: 'config.set', input: { key: 'log.level', value: 'debug' } })
      ).toMatchObject({
        result: { ok: false, error: { code: 'forbidden' } }
      })
    }
    expect(core.config.get('log.level')).toBe('info')
    expect(records.filter((r) => r.msg === 'ipc call from a foreign frame refused')).toHaveLength(3)
    await core.close()
  })

  it('removes its handler when unbound', async () => {
    const { core, unbind, handlers } = bound()
    unbind()
    expect(handlers.size).toBe(0)
    await core.close()
  })
})
