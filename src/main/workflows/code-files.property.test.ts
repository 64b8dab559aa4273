import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-support/temp-dir'
import { checkPath, codeFilesOf, declaredPath, sha256 } from './code-files'
import { applyFiles } from './workspace-files'

describe('the files a code step declares', () => {
  it('are the fenced blocks whose info line names a path; other blocks are snippets', () => {
    expect(declaredPath('ts path=src/add.ts')).toBe('src/add.ts')
    expect(declaredPath('ts title="src/my file.ts"')).toBe('src/my file.ts')
    expect(declaredPath('js src/add.js')).toBe('src/add.js')
    expect(declaredPath('src/add.js')).toBe('src/add.js')
    expect(declaredPath('ts')).toBeNull()
    expect(declaredPath('')).toBeNull()
    const parsed = codeFilesOf([
      '```ts path=src/a.ts\nexport const a = 1\n```',
      '```ts\nconst snippet = 2\n```',
      'a list item, not a block'
    ])
    expect(parsed).toEqual({ files: [{ path: 'src/a.ts', content: 'export const a = 1\n' }], problems: [] })
  })

  it('refuse a file given twice, and one over the size a step may write', () => {
    const twice = codeFilesOf(['```js path=a.js\n1\n```', '```js path=./a.js\n2\n```'])
    expect(twice.problems).toEqual(['The file "a.js" is given twice. Give each file once, whole.'])
    const big = codeFilesOf([`\`\`\`js path=big.js\n${'x'.repeat(1024 * 1024 + 1)}\n\`\`\``])
    expect(big.problems[0]).toMatch(/^The file "big.js" has 1048578 bytes, over the 1048576 a step may write/)
  })

  it('never resolve outside the folder: every accepted path stays inside it, whatever the path', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '', '.git', 'src', 'a.ts', '~', 'C:', '\\', '..\\x'),
      fc.string({ maxLength: 6 })
    )
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, leadingSlash) => {
        const raw = `${leadingSlash ? '/' : ''}${parts.join('/')}`
        const checked = checkPath(raw)
        if (!checked.ok) {
          expect(checked.message).toContain(`"${raw}"`)
          return
        }
        const root = '/work/project'
        const target = resolve(root, checked.path)
        const rel = relative(root, target)
        expect(rel.startsWith('..') || rel === '' || resolve(rel) === rel).toBe(false)
        expect(checked.path.split('/')).not.toContain('..')
        expect(checked.path.split('/').map((s) => s.toLowerCase())).not.toContain('.git')
      })
    )
  })
})

describe('applying files to the folder', () => {
  const tempDir = useTempDirs()

  it('writes all of them, or none when one cannot be written', async () => {
    const root = tempDir()
    writeFileSync(join(root, 'keep.txt'), 'old\n')
    mkdirSync(join(root, 'taken'))
    const outcome = await applyFiles(root, [
      { path: 'keep.txt', content: 'new\n', baseSha256: sha256('old\n') },
      { path: 'fresh/dir/a.txt', content: 'a\n', baseSha256: null },
      // A folder stands where the file would go: the whole apply is refused.
      { path: 'taken', content: 'x\n', baseSha256: null }
    ])
    expect(outcome).toEqual({
      ok: false,
      message: `The file "taken" was refused: it is a folder or a special file in ${root}.`
    })
    expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('old\n')
    expect(readdirSync(root).sort()).toEqual(['keep.txt', 'taken'])

    const applied = await applyFiles(root, [
      { path: 'keep.txt', content: 'new\n', baseSha256: sha256('old\n') },
      { path: 'fresh/dir/a.txt', content: 'a\n', baseSha256: null }
    ])
    expect(applied).toEqual({ ok: true, value: { files: 2, bytes: 6 } })
    expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('new\n')
    expect(readFileSync(join(root, 'fresh', 'dir', 'a.txt'), 'utf8')).toBe('a\n')
    expect(readdirSync(join(root, 'fresh', 'dir'))).toEqual(['a.txt'])
    // Approved again after the app died mid-apply: what is written already is left, and nothing is refused.
    expect(
      await applyFiles(root, [
        { path: 'keep.txt', content: 'new\n', baseSha256: sha256('old\n') },
        { path: 'fresh/dir/a.txt', content: 'a\n', baseSha256: null }
      ])
    ).toMatchObject({ ok: true })
    expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('new\n')
  })
})
