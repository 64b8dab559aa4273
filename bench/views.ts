import { join, resolve } from 'node:path'
import { createServer, createServerModuleRunner } from 'vite'

/**
 * `npm run bench:views`: the core as the build bundles it needs Vite's
 * transforms (migrations, profiles and experts are bundled files), so the
 * bench itself (views-run.ts) is loaded through Vite's module runner, the
 * way the tests load it; this file only starts that runner.
 */
async function main(): Promise<void> {
  const repoRoot = resolve(__dirname, '..')
  const server = await createServer({
    root: repoRoot,
    configFile: false,
    appType: 'custom',
    logLevel: 'error',
    // In the build every file of main runs from out/main, as CommonJS: the helper threads (WAL checkpoints, the
    // database check) resolve better-sqlite3 from __filename, and without it fall back to the event loop.
    define: {
      __dirname: JSON.stringify(join(repoRoot, 'out', 'main')),
      __filename: JSON.stringify(join(repoRoot, 'out', 'main', 'index.js'))
    },
    server: { middlewareMode: true, hmr: false, ws: false, watch: null }
  })
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })
  try {
    const bench: unknown = await runner.import('/bench/views-run.ts')
    if (!isBench(bench)) throw new Error('bench/views-run.ts does not export runViewsBench')
    await bench.runViewsBench({
      repoRoot,
      wsModule: require.resolve('ws'),
      json: process.argv.includes('--json'),
      large: process.argv.includes('--large'),
      profile: argValue('--profile')
    })
  } finally {
    await runner.close()
    await server.close()
  }
}

function argValue(flag: string): string | undefined {
  const at = process.argv.indexOf(flag)
  return at >= 0 ? process.argv[at + 1] : undefined
}

function isBench(value: unknown): value is {
  runViewsBench(options: {
    repoRoot: string
    wsModule: string
    json: boolean
    large: boolean
    profile: string | undefined
  }): Promise<void>
} {
  return (
    typeof value === 'object' && value !== null && 'runViewsBench' in value && typeof value.runViewsBench === 'function'
  )
}

void main()
