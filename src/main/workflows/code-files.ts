import { createHash } from 'node:crypto'

/**
 * The files a code step's artifacts declare: each fenced block whose info
 * line names a path (```` ```ts path=src/add.ts ````, ```` ```ts src/add.ts ````
 * or ```` ```src/add.ts ````). A block without a path is a snippet, not a file.
 * Pure: the paths are checked here for what text alone can tell (absolute,
 * `..`, `.git`, duplicates, sizes); links on disk are checked where the files
 * are written (workspace-files.ts).
 */
export interface CodeFile {
  /** Relative to the step's working folder, `/`-separated, normalised (no `.` segments). */
  readonly path: string
  readonly content: string
}

export interface CodeFiles {
  readonly files: CodeFile[]
  /** Each refused file, naming its path and what to do; when any, no file is written. */
  readonly problems: string[]
}

/** What one step may write: enough for a real change, too little to fill a disk by mistake. */
const CODE_FILE_LIMITS = { maxFiles: 100, maxFileBytes: 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 } as const

const FENCED = /^\s{0,3}(```|~~~)([^\n]*)\n([\s\S]*?)\n?\s{0,3}\1[ \t]*$/
const KEYED = /(?:^|\s)(?:path|file|filename|title)=(?:"([^"]+)"|'([^']+)'|(\S+))/i

/** The path an info line declares, or null for a plain snippet. */
export function declaredPath(info: string): string | null {
  const keyed = KEYED.exec(info)
  if (keyed) return keyed[1] ?? keyed[2] ?? keyed[3] ?? null
  // `ts src/add.ts`: a language, then the path; `src/add.ts` alone: the path. A bare `ts` is only a language.
  const tokens = info.trim().split(/\s+/).filter(Boolean)
  const candidate = tokens.length >= 2 ? tokens[1] : tokens[0]
  return candidate !== undefined && /[/\\.]/.test(candidate) ? candidate : null
}

/** Why a declared path may not be written, or the path normalised. */
export function checkPath(raw: string): { ok: true; path: string } | { ok: false; message: string } {
  const refuse = (why: string) => ({ ok: false as const, message: `The file "${raw}" was refused: ${why}` })
  if (/[\u0000-\u001f]/.test(raw)) return refuse('its path holds control characters. Use a plain relative path.')
  if (raw.includes('\\')) return refuse('its path uses "\\". Write it with "/", relative to the working folder.')
  if (raw.startsWith('/') || raw.startsWith('~') || /^[A-Za-z]:/.test(raw))
    return refuse('it is an absolute path. Give the path relative to the working folder, e.g. "src/add.ts".')
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..'))
    return refuse('its path leaves the working folder with "..". Write only inside the working folder.')
  if (segments.length === 0) return refuse('it names no file. Give a file path such as "src/add.ts".')
  if (segments.some((s) => s.toLowerCase() === '.git'))
    return refuse('it is inside ".git". Change only the project\'s files, never its repository data.')
  if (raw.endsWith('/')) return refuse('it names a folder. Give a file path such as "src/add.ts".')
  return { ok: true, path: segments.join('/') }
}

export function codeFilesOf(artifacts: readonly string[]): CodeFiles {
  const files: CodeFile[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  let total = 0
  for (const artifact of artifacts) {
    const block = FENCED.exec(artifact.trim())
    if (!block) continue
    const raw = declaredPath(block[2] ?? '')
    if (raw === null) continue
    const checked = checkPath(raw)
    if (!checked.ok) {
      problems.push(checked.message)
      continue
    }
    const content = `${block[3] ?? ''}\n`
    const bytes = Buffer.byteLength(content)
    if (seen.has(checked.path)) {
      problems.push(`The file "${checked.path}" is given twice. Give each file once, whole.`)
      continue
    }
    seen.add(checked.path)
    if (bytes > CODE_FILE_LIMITS.maxFileBytes) {
      problems.push(
        `The file "${checked.path}" has ${bytes} bytes, over the ${CODE_FILE_LIMITS.maxFileBytes} a step may write. Split it.`
      )
      continue
    }
    total += bytes
    files.push({ path: checked.path, content })
  }
  if (files.length > CODE_FILE_LIMITS.maxFiles)
    problems.push(`${files.length} files were given; a step may write at most ${CODE_FILE_LIMITS.maxFiles}.`)
  if (total > CODE_FILE_LIMITS.maxTotalBytes)
    problems.push(`The files hold ${total} bytes together; a step may write at most ${CODE_FILE_LIMITS.maxTotalBytes}.`)
  return { files, problems }
}

export const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex')
