import { safeStorage } from 'electron'
import type { SecretCipher } from '../ports/secret-cipher'

/** Electron's safeStorage: the macOS Keychain on the Mac, libsecret / kwallet on Linux, DPAPI on Windows. */
export function safeStorageCipher(platform: NodeJS.Platform): SecretCipher {
  return {
    name:
      platform === 'darwin'
        ? 'macOS Keychain'
        : platform === 'win32'
          ? 'Windows DPAPI'
          : `system keyring (${safeStorage.getSelectedStorageBackend()})`,
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plaintext) => safeStorage.encryptString(plaintext),
    decrypt: (ciphertext) => safeStorage.decryptString(ciphertext)
  }
}
