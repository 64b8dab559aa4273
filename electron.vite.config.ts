import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { devCspPlugin } from './scripts/electron/dev-csp'

// Three entry points, as in electron-vite's template, plus two that ride along:
// the `kos` CLI (same core, plain Node) and the web bridge the headless host
// injects so the renderer talks to it exactly as it talks to the preload.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/shell/index.ts'),
          kos: resolve(__dirname, 'src/main/cli/kos.ts'),
          // The embedded llama.cpp engine runs in a worker thread started from this file.
          'llama-worker': resolve(__dirname, 'src/main/models/embedded/llama-worker.ts'),
          // The lexical half of knowledge searches runs in a worker thread started from this file.
          'lexical-worker': resolve(__dirname, 'src/main/knowledge/lexical-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() node_modules, so zod and the
      // contract are bundled into the one preload file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), devCspPlugin()],
    build: {
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          'web-bridge': resolve(__dirname, 'src/preload/web-bridge.ts')
        },
        output: {
          entryFileNames: (chunk) => (chunk.name === 'web-bridge' ? 'web-bridge.js' : 'assets/[name]-[hash].js')
        }
      }
    }
  }
})
