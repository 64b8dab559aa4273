import { describe, expect, it } from 'vitest'
import { rpcError } from '../../../../shared/contract/rpc-error'
import { VIEWS } from '../../navigation/views'
import { chord, isPaletteKey, paletteShortcut, shortcutHost, viewModifier } from '../../navigation/shortcuts'
import { fakeClient } from '../testing/fake-client'
import { createViewModel } from '../view-model'
import { filterCommands, fuzzyScore, PALETTE_COMMANDS } from './palette-commands'
import { paletteMatches, paletteModel } from './palette-model'

const titles = (query: string): string[] => filterCommands(PALETTE_COMMANDS, query).map((c) => c.title)
const command = (id: string) => PALETTE_COMMANDS.find((c) => c.id === id)!

describe('palette commands', () => {
  it('match letters in order with gaps, ranking adjacent letters and word starts first', () => {
    expect(fuzzyScore('tsk', 'Tasks')).not.toBeNull()
    expect(fuzzyScore('kst', 'Tasks')).toBeNull()
    expect(titles('ret')[0]).toBe('Return deferred tasks to autoprocessing')
    expect(titles('tasks')[0]).toBe('Tasks')
    expect(titles('chk')[0]).toBe('Checklist')
    expect(titles('set')[0]).toBe('Settings')
  })

  it('find a command by a word it is known by, and nothing for nonsense', () => {
    expect(titles('requeue')).toEqual(['Return deferred tasks to autoprocessing'])
    expect(titles('conversation')).toContain('Start a chat')
    expect(titles('qqqzz')).toEqual([])
  })

  it('list every view and the four everyday actions when nothing is typed', () => {
    const all = titles('')
    expect(all.slice(0, VIEWS.length)).toEqual(VIEWS.map((v) => v.label))
    expect(all.slice(VIEWS.length)).toEqual([
      'Start a chat',
      'New task',
      'Run the checklist',
      'Return deferred tasks to autoprocessing',
      'Find a setting'
    ])
  })
})

describe('shortcut hints', () => {
  it('show the modifier that works where the app runs', () => {
    const mac = { platform: 'MacIntel', userAgent: 'Mozilla/5.0 Chrome/130' }
    const linux = { platform: 'Linux x86_64', userAgent: 'Mozilla/5.0 Chrome/130' }
    const electronMac = { platform: 'MacIntel', userAgent: 'Mozilla/5.0 Electron/45.0.0' }
    expect(viewModifier(shortcutHost(electronMac))).toBe('⌘')
    expect(viewModifier(shortcutHost({ ...linux, userAgent: 'Electron/45.0.0' }))).toBe('Ctrl')
    expect(viewModifier(shortcutHost(mac))).toBe('⌥')
    expect(viewModifier(shortcutHost(linux))).toBe('Alt')
    expect(chord('⌘', '1')).toBe('⌘1')
    expect(chord('Alt', '1')).toBe('Alt+1')
    expect(paletteShortcut(shortcutHost(mac))).toBe('⌘K')
    expect(paletteShortcut(shortcutHost(linux))).toBe('Ctrl+K')
  })

  it('open the palette on ⌘K or Ctrl+K only', () => {
    const key = { key: 'k', metaKey: false, ctrlKey: true, altKey: false, shiftKey: false }
    expect(isPaletteKey(key)).toBe(true)
    expect(isPaletteKey({ ...key, ctrlKey: false, metaKey: true })).toBe(true)
    expect(isPaletteKey({ ...key, ctrlKey: false })).toBe(false)
    expect(isPaletteKey({ ...key, shiftKey: true })).toBe(false)
  })
})

describe('palette model', () => {
  it('opens empty, filters as you type and moves the highlight with wrap-around', () => {
    const model = createViewModel(paletteModel, fakeClient({}).client, undefined)
    const s = () => model.getState()
    s().toggle()
    expect(s()).toMatchObject({ open: true, query: '', active: 0 })
    s().type('se')
    expect(paletteMatches(s())[0]?.title).toBe('Settings')
    s().move(-1)
    expect(s().active).toBe(paletteMatches(s()).length - 1)
    s().move(1)
    expect(s().active).toBe(0)
    s().point(2)
    expect(s().active).toBe(2)
    s().point(99)
    expect(s().active).toBe(2)
    s().toggle()
    expect(s().open).toBe(false)
  })

  it('hands navigation back to the shell and closes', async () => {
    const model = createViewModel(paletteModel, fakeClient({}).client, undefined)
    model.getState().show()
    expect(await model.getState().run(command('go-models'))).toEqual({ kind: 'navigate', hash: '#/models' })
    expect(model.getState().open).toBe(false)
  })

  it('starts a chat in a new conversation and runs the checklist through the core', async () => {
    const fake = fakeClient({
      'chat.sessions.create': () => ({
        ok: true,
        value: { id: 's1', title: 'New conversation', createdAt: '', updatedAt: '', messageCount: 0 } as never
      }),
      'checklist.run': () => ({ ok: true, value: {} as never })
    })
    const model = createViewModel(paletteModel, fake.client, undefined)
    expect(await model.getState().run(command('start-chat'))).toEqual({ kind: 'navigate', hash: '#/chat/s1' })
    expect(await model.getState().run(command('run-checklist'))).toEqual({ kind: 'navigate', hash: '#/checklist' })
    expect(fake.calls.map((c) => c.name)).toEqual(['chat.sessions.create', 'checklist.run'])
  })

  it('returns deferred tasks and says how many, or says the core’s refusal, staying open', async () => {
    let refuse = false
    const fake = fakeClient({
      'tasks.requeue': () =>
        refuse
          ? {
              ok: false,
              error: rpcError('forbidden', 'Read-only window: returning a task needs the full-access link.')
            }
          : { ok: true, value: { requeued: ['a', 'b'] } }
    })
    const model = createViewModel(paletteModel, fake.client, undefined)
    model.getState().show()
    await model.getState().run(command('return-deferred'))
    expect(fake.calls[0]).toEqual({ name: 'tasks.requeue', input: { all: true } })
    expect(model.getState()).toMatchObject({
      open: true,
      message: { tone: 'ok', text: 'Returned 2 tasks to autoprocessing.' }
    })
    refuse = true
    await model.getState().run(command('return-deferred'))
    expect(model.getState().message).toEqual({
      tone: 'error',
      text: 'Read-only window: returning a task needs the full-access link.'
    })
  })
})
