/**
 * Encryption by the operating system's keychain: Electron's safeStorage in the
 * desktop app. The headless host has none, so it cannot store secrets — it
 * says so rather than keeping them in plain text.
 */
export interface SecretCipher {
  /** e.g. "macOS Keychain"; shown to the person storing a key. */
  readonly name: string
  isAvailable(): boolean
  encrypt(plaintext: string): Buffer
  decrypt(ciphertext: Buffer): string
}
