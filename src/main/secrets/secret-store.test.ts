import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database'
import { bundledMigrations } from '../db/bundled-migrations'
import { migrate } from '../db/migrations'
import type { SecretCipher } from '../ports/secret-cipher'
import { useTempDirs } from '../test-support/temp-dir'
import { createSecretStore } from './secret-store'

const tempDir = useTempDirs()

/** A reversible stand-in for the keychain: XOR with a per-test key, enough to prove nothing is stored in plain text. */
function testCipher(key = 0x5a, available = true): SecretCipher {
  const flip = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ key))
  return {
    name: 'Test Keychain',
    isAvailable: () => available,
    encrypt: (t) => flip(Buffer.from(t, 'utf8')),
    decrypt: (b) => flip(b).toString('utf8')
  }
}

function db() {
  const d = openDatabase(join(tempDir(), 'kos.db'))
  migrate(d, bundledMigrations())
  return d
}

describe('secret store', () => {
  it('keeps keys encrypted in the database and gives them back', () => {
    const d = db()
    const store = createSecretStore(d, testCipher())
    store.set('node:lan-vllm', 'sk-live-123')
    expect(store.get('node:lan-vllm')).toBe('sk-live-123')
    const raw = (d.prepare('SELECT ciphertext FROM secrets').get() as { ciphertext: Buffer }).ciphertext
    expect(raw.toString('utf8')).not.toContain('sk-live-123')
    expect(store.names().map((n) => n.name)).toEqual(['node:lan-vllm'])
  })

  it('refuses to store a key where there is no keychain, and says why', () => {
    const store = createSecretStore(db(), null)
    expect(() => store.set('node:x', 'sk')).toThrow(/no OS keychain/)
    expect(store.where()).toEqual({ store: null, unavailableReason: expect.stringContaining('desktop app') })
  })

  it('reads a key it can no longer decrypt as absent', () => {
    const d = db()
    createSecretStore(d, testCipher(0x11)).set('node:x', 'sk')
    const other: SecretCipher = {
      ...testCipher(),
      decrypt: () => {
        throw new Error('keychain reset')
      }
    }
    expect(createSecretStore(d, other).get('node:x')).toBeNull()
  })

  it('forgets a key on delete', () => {
    const store = createSecretStore(db(), testCipher())
    store.set('node:x', 'sk')
    expect(store.delete('node:x')).toBe(true)
    expect(store.get('node:x')).toBeNull()
    expect(store.delete('node:x')).toBe(false)
  })
})
