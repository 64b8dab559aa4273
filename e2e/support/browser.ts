import { existsSync } from 'node:fs'
import type { LaunchOptions } from '@playwright/test'

/**
 * The system Chromium where there is one (Debian's, here and in CI), else
 * Playwright's own. The flags keep a headless Chromium off the network,
 * which on a closed machine otherwise fails its background requests.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const candidates = [process.env.KOS_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => Boolean(p)
  )
  const executablePath = candidates.find((p) => existsSync(p))
  return {
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync'
    ]
  }
}
