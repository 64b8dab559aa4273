import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Scope } from '../../../shared/contract/define'

export const SESSION_COOKIE = 'kos_session'

const FULL: ReadonlySet<Scope> = new Set<Scope>(['read', 'write'])
const READ_ONLY: ReadonlySet<Scope> = new Set<Scope>(['read'])

/** Which token a request comes with: rate limits are kept per token. */
export type Principal = 'full' | 'readOnly'

interface Grant {
  readonly principal: Principal
  readonly scopes: ReadonlySet<Scope>
}

export type Authentication = ({ readonly ok: true } & Grant) | { readonly ok: false }

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
export function createAccessControl(
  generate: () => string = () => randomBytes(24).toString('base64url')
): AccessControl {
  const tokens = [
    { token: generate(), grant: { principal: 'full', scopes: FULL } },
    { token: generate(), grant: { principal: 'readOnly', scopes: READ_ONLY } }
  ] as const satisfies readonly { token: string; grant: Grant }[]
  const hashed = tokens.map(({ token, grant }) => ({ hash: digest(token), grant }))
  const sessions = new Map<string, Grant>()

  const grantOf = (token: string): Grant | null => {
    const candidate = digest(token)
    let found: Grant | null = null
    for (const entry of hashed) if (timingSafeEqual(entry.hash, candidate)) found = entry.grant
    return found
  }

  return {
    fullToken: tokens[0].token,
    readOnlyToken: tokens[1].token,
    authenticate(req) {
      const header = req.headers.authorization
      if (header?.startsWith('Bearer ')) {
        const grant = grantOf(header.slice('Bearer '.length).trim())
        return grant ? { ok: true, ...grant } : { ok: false }
      }
      const session = cookieValue(req.headers.cookie, SESSION_COOKIE)
      const grant = session ? sessions.get(session) : undefined
      return grant ? { ok: true, ...grant } : { ok: false }
    },
    openSession(token) {
      const grant = grantOf(token)
      if (!grant) return null
      const id = randomBytes(24).toString('base64url')
      sessions.set(id, grant)
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
