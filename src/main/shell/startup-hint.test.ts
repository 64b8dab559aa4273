import { describe, expect, it } from 'vitest'
import { startupHint } from './startup-hint'

const WRONG_ABI =
  "The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140."

describe('start-up hints', () => {
  it('names npm start and npm run dev when SQLite was built for Node, from source', () => {
    expect(startupHint(WRONG_ABI, false)).toMatch(/npm start.*npm run dev.*KOS_SQLITE_BINDING/)
  })

  it('adds nothing to a packaged app or another failure', () => {
    expect(startupHint(WRONG_ABI, true)).toBe('')
    expect(startupHint('The data dir is held by another instance', false)).toBe('')
  })
})
