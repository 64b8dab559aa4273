import { open, readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { markdownTitle } from './markdown-plain'

/**
 * Files an import reads: prose (text, Markdown, reStructuredText) and
 * source code. PDF is not among them: no well-kept PDF text extractor is a
 * dependency of this app yet.
 */
export const TEXT_EXTENSIONS = new Set([
  '.txt',
  '.text',
  '.md',
  '.markdown',
  '.mdx',
  '.rst',
  '.org',
  '.adoc',
  '.csv',
  '.tsv',
  '.log',
  '.ts',
  '.tsx',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.py',
  '.rb',
  '.go',
  '.rs',
  '.java',
  '.kt',
  '.swift',
  '.c',
  '.h',
  '.cc',
  '.cpp',
  '.hpp',
  '.cs',
  '.php',
  '.sh',
  '.zsh',
  '.bash',
  '.sql',
  '.lua',
  '.r',
  '.scala',
  '.dart',
  '.ex',
  '.exs',
  '.clj',
  '.hs',
  '.ml',
  '.vue',
  '.svelte',
  '.json',
  '.yaml',
  '.yml',
  '.toml',
  '.ini',
  '.xml',
  '.html',
  '.htm',
  '.css',
  '.scss'
])

/** Folders that hold tools' output or other people's code, never a person's knowledge. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  '__pycache__',
  '.venv',
  'venv',
  'target',
  '.next',
  '.cache'
])

export type FolderEntry =
  | { readonly kind: 'file'; readonly path: string; readonly bytes: number }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string }

/** Every file under a folder, readable ones first in path order, with the reason for each one left out. */
export async function listFolder(root: string, maxBytes: number): Promise<FolderEntry[]> {
  const entries: FolderEntry[] = []
  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true })
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const child of children) {
      const path = join(dir, child.name)
      if (child.isDirectory()) {
        if (!child.name.startsWith('.') && !SKIPPED_DIRS.has(child.name)) await walk(path)
        continue
      }
      if (!child.isFile() || child.name.startsWith('.')) continue
      const extension = extname(child.name).toLowerCase()
      if (extension === '.pdf') {
        entries.push({ kind: 'skipped', path, reason: 'PDF is not read yet: no PDF text extractor is installed' })
        continue
      }
      if (!TEXT_EXTENSIONS.has(extension)) {
        entries.push({ kind: 'skipped', path, reason: `${extension || 'no extension'}: not a text or source file` })
        continue
      }
      const { size } = await stat(path)
      if (size > maxBytes)
        entries.push({
          kind: 'skipped',
          path,
          reason: `${(size / 1048576).toFixed(1)} MiB is over the ${(maxBytes / 1048576).toFixed(0)} MiB limit (knowledge.maxFileMb)`
        })
      else entries.push({ kind: 'file', path, bytes: size })
    }
  }
  await walk(root)
  return entries
}

export type ReadOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string }

/** Reads a file as UTF-8 text; a NUL byte in its first 8 KiB marks it binary, and invalid UTF-8 is refused rather than stored as mojibake. */
export async function readTextFile(path: string): Promise<ReadOutcome> {
  const handle = await open(path, 'r')
  try {
    const buffer = await handle.readFile()
    if (buffer.subarray(0, 8192).includes(0))
      return { ok: false, reason: 'binary content (a NUL byte in its first 8 KiB)' }
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer) }
    } catch {
      return { ok: false, reason: 'not valid UTF-8 text' }
    }
  } finally {
    await handle.close()
  }
}

/** A Markdown file's first heading, else the file name. */
export function titleOf(path: string, text: string): string {
  const extension = extname(path).toLowerCase()
  if (extension === '.md' || extension === '.markdown' || extension === '.mdx') {
    const heading = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text)
    const title = heading?.[1] ? markdownTitle(heading[1]) : ''
    if (title) return title.slice(0, 200)
  }
  return basename(path)
}
