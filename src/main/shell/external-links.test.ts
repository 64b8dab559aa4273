import { describe, expect, it, vi } from 'vitest'
import { openExternalSafely } from './external-links'

describe('external links', () => {
  it('opens http(s) links only after confirmation', async () => {
    const open = vi.fn(async () => undefined)
    expect(await openExternalSafely('https://ollama.com/library', { confirm: async () => true, open })).toBe('opened')
    expect(await openExternalSafely('https://ollama.com/library', { confirm: async () => false, open })).toBe(
      'declined'
    )
    expect(open).toHaveBeenCalledTimes(1)
  })

  it('refuses other protocols without asking', async () => {
    const confirm = vi.fn(async () => true)
    const open = vi.fn(async () => undefined)
    for (const url of ['file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'not a url', 'vscode://x']) {
      expect(await openExternalSafely(url, { confirm, open })).toBe('refused')
    }
    expect(confirm).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })
})
