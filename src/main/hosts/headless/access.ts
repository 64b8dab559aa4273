import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Scope } from '../../../shared/contract/define'

export const SESSION_COOKIE = 'kos_session'

const FULL: ReadonlySet<Scope> = new Set<Scope>(['read', 'write'])
const READ_ONLY: ReadonlySet<Scope> = new Set<Scope>(['read'])

export type Authentication = { readonly ok: true; readonly scopes: ReadonlySet<Scope> } | { readonly ok: false }

export interface AccessControl {
  /** Full access: printed with the URL at start. */
  readonly fullToken: string
  /** Read-only access: for a dashboard on another screen. */
  readonly readOnlyToken: string
  /** From an `Authorization: Bearer` header or the session cookie. */
  authenticate(req: IncomingMessage): Authentication
  /** Trades a token from a URL for a session id, so the token leaves the address bar and history. */
  openSession(token: string): string | null
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

/**
 * Random per-run tokens. They are compared as SHA-256 digests in constant
 * time; sessions live in memory, so a restart of the host ends them all.
 */
export function createAccessControl(generate: () => string = () => randomBytes(24).toString('base64url')): AccessControl {
  const tokens = [
    { token: generate(), scopes: FULL },
    { token: generate(), scopes: READ_ONLY }
  ] as const
  const hashed = tokens.map(({ token, scopes }) => ({ hash: digest(token), scopes }))
  const sessions = new Map<string, ReadonlySet<Scope>>()

  const scopesOf = (token: string): ReadonlySet<Scope> | null => {
    const candidate = digest(token)
    let found: ReadonlySet<Scope> | null = null
    for (const entry of hashed) if (timingSafeEqual(entry.hash, candidate)) found = entry.scopes
    return found
  }

  return {
    fullToken: tokens[0].token,
    readOnlyToken: tokens[1].token,
    authenticate(req) {
      const header = req.headers.authorization
      if (header?.startsWith('Bearer ')) {
        const scopes = scopesOf(header.slice('Bearer '.length).trim())
        return scopes ? { ok: true, scopes } : { ok: false }
      }
      const session = cookieValue(req.headers.cookie, SESSION_COOKIE)
      const scopes = session ? sessions.get(session) : undefined
      return scopes ? { ok: true, scopes } : { ok: false }
    },
    openSession(token) {
      const scopes = scopesOf(token)
      if (!scopes) return null
      const id = randomBytes(24).toString('base64url')
      sessions.set(id, scopes)
      return id
    }
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
