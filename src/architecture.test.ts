import { readFileSync, readdirSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The import rule of docs/architecture.md, checked on every source file:
// layers import only downward, `shared` is common to every process, and only
// the shell touches Electron.

const SRC = resolve(__dirname)
const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
}

/** Folders of src/main, lowest first. A folder may import its own files and lower ranks only. */
const MAIN_RANK: Readonly<Record<string, number>> = {
  platform: 0,
  log: 0,
  db: 1,
  events: 1,
  rpc: 1,
  config: 2,
  health: 2,
  ports: 2,
  tasks: 3,
  models: 3,
  knowledge: 3,
  board: 3,
  supervisor: 3,
  secrets: 3,
  approvals: 3,
  batching: 3,
  usage: 3,
  chat: 4,
  validation: 4,
  autopilot: 4,
  checklist: 4,
  app: 5,
  soak: 5,
  metrics: 4,
  onboarding: 4,
  notify: 4,
  digest: 4,
  workflows: 4,
  trail: 4,
  telemetry: 4,
  hosts: 6,
  shell: 7,
  cli: 7
}

// zod: forms check their values with the contract's own schemas.
const RENDERER_PACKAGES = new Set(['react', 'react-dom', 'zustand', 'zod'])
const CLIENT = 'shared/contract/client'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found: string[] = []
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g
  for (const match of text.matchAll(pattern)) found.push((match[1] ?? match[2] ?? match[3] ?? match[4]) as string)
  return found
}

const packageName = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec)
const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || builtinModules.includes(spec)
/** Test code: test files, the shared test-support folder, and a capability's own testing/ folder (fakes, scripted processors). */
const isTest = (rel: string): boolean =>
  /\.test\.tsx?$/.test(rel) || rel.includes('/test-support/') || rel.includes('/testing/')

/** Why an import is not allowed, or null when it is. */
function violation(fromRel: string, spec: string): string | null {
  const [area, folder] = fromRel.split('/')
  const view = area === 'renderer' && fromRel.endsWith('.tsx')
  if (view && spec === 'zustand')
    return 'a view reads its view model through useSelect (renderer/src/model), not the store itself'
  if (spec.startsWith('.')) {
    const target = relative(SRC, resolve(SRC, dirname(fromRel), spec)).replaceAll('\\', '/')
    if (view && target === CLIENT)
      return 'a view (.tsx) may not import the client: it calls the core through its view model (renderer/src/model)'
    const [toArea, toFolder] = target.split('/')
    if (target.startsWith('..')) {
      if (target.endsWith('package.json') && area === 'main') return null
      // Tests may use the repo's own tooling (e.g. the tiny GGUF generator in scripts/).
      return isTest(fromRel) && target.startsWith('../scripts/') ? null : 'reaches outside src'
    }
    if (isTest(`${target}.ts`) && !isTest(fromRel)) return 'production code may not import test code'
    if (toArea === 'shared') return null
    if (toArea !== area) return `${area} may not import ${toArea}`
    if (area !== 'main' || toFolder === folder || isTest(fromRel)) return null
    const from = MAIN_RANK[folder ?? '']
    const to = MAIN_RANK[toFolder ?? '']
    if (from === undefined || to === undefined)
      return `main/${from === undefined ? folder : toFolder} has no rank in this test`
    return to < from ? null : `main/${folder} (rank ${from}) may not import main/${toFolder} (rank ${to})`
  }
  if (spec === 'electron') {
    return fromRel.startsWith('main/shell/') || fromRel === 'preload/index.ts'
      ? null
      : 'only the shell and the Electron preload import electron'
  }
  if (isBuiltin(spec))
    return area === 'main' || area === 'architecture.test.ts' ? null : `${area} runs without Node built-ins`
  const name = packageName(spec)
  if (isTest(fromRel) || area === 'architecture.test.ts') return null
  if (area === 'shared') return name === 'zod' ? null : 'shared may use zod only'
  if (area === 'renderer')
    return RENDERER_PACKAGES.has(name) ? null : `renderer may use ${[...RENDERER_PACKAGES].join(', ')} only`
  if (area === 'preload') return `preload bundles no packages but electron`
  return Object.hasOwn(pkg.dependencies, name) ? null : `${name} is not in package.json dependencies`
}

describe('architecture', () => {
  const files = sourceFiles(SRC).map((f) => relative(SRC, f).replaceAll('\\', '/'))

  it('finds the source tree', () => {
    expect(files).toContain('main/shell/index.ts')
    expect(files).toContain('shared/contract/contract.ts')
    expect(importsOf(join(SRC, 'main/app/start-core.ts'))).toEqual(
      expect.arrayContaining(['node:fs', '../config/config-service'])
    )
  })

  it('keeps every import inside the layer rules', () => {
    const broken = files.flatMap((file) =>
      importsOf(join(SRC, file)).flatMap((spec) => {
        const why = violation(file, spec)
        return why ? [`${file}: '${spec}' — ${why}`] : []
      })
    )
    expect(broken).toEqual([])
  })

  it('catches the imports it is meant to catch', () => {
    expect(violation('main/config/x.ts', 'electron')).toMatch(/only the shell/)
    expect(violation('main/db/x.ts', '../app/start-core')).toMatch(/rank 1\) may not import main\/app/)
    expect(violation('main/tasks/x.ts', '../knowledge/knowledge-store')).toMatch(
      /rank 3\) may not import main\/knowledge \(rank 3\)/
    )
    expect(violation('renderer/src/x.ts', '../../main/app/start-core')).toMatch(/renderer may not import main/)
    expect(violation('renderer/src/x.ts', 'node:fs')).toMatch(/without Node built-ins/)
    expect(violation('shared/x.ts', 'react')).toMatch(/zod only/)
    expect(violation('main/config/x.ts', 'left-pad')).toMatch(/not in package.json/)
    expect(violation('main/shell/x.ts', 'electron')).toBeNull()
    expect(violation('main/app/x.ts', '../config/config-service')).toBeNull()
    expect(violation('main/tasks/x.ts', './testing/scripted-processor')).toMatch(/may not import test code/)
    expect(violation('main/tasks/x.test.ts', './testing/scripted-processor')).toBeNull()
    expect(violation('renderer/src/views/x/X.tsx', '../../../../shared/contract/client')).toMatch(
      /may not import the client/
    )
    expect(violation('renderer/src/views/x/X.tsx', 'zustand')).toMatch(/through useSelect/)
    expect(violation('renderer/src/model/x/x-model.ts', '../../../../shared/contract/client')).toBeNull()
    expect(violation('renderer/src/views/x/X.tsx', '../../model/use-view-model')).toBeNull()
  })
})
