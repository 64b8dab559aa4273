import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './e2e/support/browser'

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    launchOptions: chromiumLaunchOptions(),
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure'
  },
  projects: [
    { name: 'headless-host', testDir: 'e2e/headless' },
    { name: 'electron', testDir: 'e2e/electron' }
  ]
})
