import type { Plugin } from 'vite'

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/

/**
 * The renderer's CSP as the dev server needs it, and only there: Vite injects
 * each stylesheet as an inline <style>, the React plugin adds an inline
 * refresh preamble, and hot reload talks over a WebSocket. The built app
 * keeps the strict policy in index.html.
 */
export function devContentSecurityPolicy(policy: string): string {
  const widen: Record<string, string> = {
    'style-src': "'unsafe-inline'",
    'script-src': "'unsafe-inline'",
    'connect-src': 'ws://localhost:* ws://127.0.0.1:*'
  }
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean)
    .map((directive) => {
      const name = directive.split(/\s+/)[0] ?? ''
      return widen[name] ? `${directive} ${widen[name]}` : directive
    })
    .join('; ')
}

/** Applies devContentSecurityPolicy to index.html under `npm run dev` (Vite's serve), never to a build. */
export function devCspPlugin(): Plugin {
  return {
    name: 'kos-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      if (!CSP_META.test(html))
        throw new Error('index.html has no Content-Security-Policy meta tag to relax for the dev server')
      return html.replace(
        CSP_META,
        (_m, open: string, policy: string, close: string) => `${open}${devContentSecurityPolicy(policy)}${close}`
      )
    }
  }
}
