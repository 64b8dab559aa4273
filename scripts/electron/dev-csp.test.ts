import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IndexHtmlTransformHook } from 'vite'
import { describe, expect, it } from 'vitest'
import { devContentSecurityPolicy, devCspPlugin } from './dev-csp'

const indexHtml = readFileSync(join(__dirname, '..', '..', 'src', 'renderer', 'index.html'), 'utf8')

describe('the renderer’s CSP under npm run dev', () => {
  it('lets Vite’s injected styles, the refresh preamble and hot reload through', () => {
    const transform = devCspPlugin().transformIndexHtml as IndexHtmlTransformHook
    const html = transform.call({} as never, indexHtml, {} as never) as string
    const policy = /content="([^"]*)"/.exec(html)?.[1] ?? ''
    expect(policy).toContain("style-src 'self' 'unsafe-inline'")
    expect(policy).toContain("script-src 'self' 'unsafe-inline'")
    expect(policy).toContain("connect-src 'self' ws://localhost:*")
    expect(policy).toContain("object-src 'none'")
  })

  it('applies to the dev server only; the build keeps index.html’s strict policy', () => {
    expect(devCspPlugin().apply).toBe('serve')
    expect(indexHtml).not.toContain('unsafe-inline')
  })

  it('widens only the directives it names', () => {
    expect(devContentSecurityPolicy("default-src 'self'; img-src 'self' data:")).toBe(
      "default-src 'self'; img-src 'self' data:"
    )
  })
})
