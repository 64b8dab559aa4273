import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8'
}

export const WEB_BRIDGE_FILE = 'web-bridge.js'

export interface StaticFile {
  readonly body: Buffer
  readonly contentType: string
  readonly immutable: boolean
}

/**
 * Files of the built renderer. index.html gets the web bridge injected ahead
 * of the app's own module script, so `window.kos` exists before the app runs,
 * exactly as the Electron preload provides it.
 */
export function createStaticFiles(rendererDir: string): { get(urlPath: string): Promise<StaticFile | null> } {
  const root = normalize(rendererDir)
  let indexHtml: Buffer | null = null

  const loadIndex = async (): Promise<Buffer> => {
    if (indexHtml) return indexHtml
    const html = await readFile(join(root, 'index.html'), 'utf8')
    const tag = `<script type="module" src="./${WEB_BRIDGE_FILE}"></script>`
    const at = html.indexOf('<script')
    indexHtml = Buffer.from(
      at >= 0 ? `${html.slice(0, at)}${tag}\n    ${html.slice(at)}` : html.replace('</head>', `${tag}</head>`)
    )
    return indexHtml
  }

  return {
    async get(urlPath) {
      if (urlPath === '/' || urlPath === '/index.html') {
        return { body: await loadIndex(), contentType: CONTENT_TYPES['.html'] ?? 'text/html', immutable: false }
      }
      let decoded: string
      try {
        decoded = decodeURIComponent(urlPath)
      } catch {
        return null
      }
      if (decoded.includes('\0')) return null
      const file = normalize(join(root, decoded))
      if (!file.startsWith(root + sep)) return null
      try {
        const body = await readFile(file)
        return {
          body,
          contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          immutable: decoded.startsWith('/assets/')
        }
      } catch {
        return null
      }
    }
  }
}
