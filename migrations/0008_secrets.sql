-- API keys for remote model servers, encrypted by the OS keychain (Electron's
-- safeStorage) before they reach this table; the plaintext is never stored.
CREATE TABLE secrets (
  name       TEXT PRIMARY KEY,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
