import type { Db } from '../db/database'
import type { SecretCipher } from '../ports/secret-cipher'

export interface SecretStore {
  /** The keychain's name, or null with the reason when keys cannot be kept here. */
  where(): { readonly store: string | null; readonly unavailableReason: string | null }
  names(): { name: string; updatedAt: string }[]
  get(name: string): string | null
  set(name: string, value: string): void
  delete(name: string): boolean
}

export class SecretsUnavailable extends Error {}

const NO_KEYCHAIN =
  'This host has no OS keychain to encrypt API keys with. Store keys from the desktop app, or pass them in the environment of the process.'

/**
 * API keys encrypted by the OS keychain before they touch the database; a key
 * that can no longer be decrypted (another user, a reset keychain) reads as
 * absent rather than as garbage.
 */
export function createSecretStore(
  db: Db,
  cipher: SecretCipher | null,
  now: () => Date = () => new Date()
): SecretStore {
  const usable = (): SecretCipher | null => (cipher?.isAvailable() ? cipher : null)
  const upsert = db.prepare(
    'INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at'
  )
  const select = db.prepare('SELECT ciphertext FROM secrets WHERE name = ?')
  const list = db.prepare('SELECT name, updated_at AS updatedAt FROM secrets ORDER BY name')
  const remove = db.prepare('DELETE FROM secrets WHERE name = ?')

  return {
    where() {
      const c = usable()
      return c ? { store: c.name, unavailableReason: null } : { store: null, unavailableReason: NO_KEYCHAIN }
    },
    names: () => list.all() as { name: string; updatedAt: string }[],
    get(name) {
      const c = usable()
      const row = select.get(name) as { ciphertext: Buffer } | undefined
      if (!c || !row) return null
      try {
        return c.decrypt(row.ciphertext)
      } catch {
        return null
      }
    },
    set(name, value) {
      const c = usable()
      if (!c) throw new SecretsUnavailable(NO_KEYCHAIN)
      upsert.run(name, c.encrypt(value), now().toISOString())
    },
    delete: (name) => remove.run(name).changes > 0
  }
}
