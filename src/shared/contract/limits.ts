import type { CallName } from './contract'
import { rpcError, type RpcError } from './rpc-error'

/**
 * Every size and depth limit of the contract, declared once. The hosts
 * enforce them at their edge (WebSocket frames, HTTP bodies), the dispatcher
 * again for every transport (IPC included), and the web bridge refuses a call
 * before sending it, so no transport ever meets a payload the contract allows
 * and the transport cannot carry.
 */

const MIB = 1024 * 1024

/** The largest frame (WebSocket message, HTTP body) any transport accepts: the largest call limit. */
export const FRAME_LIMIT_BYTES = 16 * MIB

/** What one call may carry, encoded as JSON, unless it declares more below. */
export const DEFAULT_CALL_BYTES = 1 * MIB

/**
 * Deepest nesting of objects and arrays an input may have. No call's schema
 * goes deeper than a few levels; free-form metadata gets this much room, and a
 * payload nested thousands of levels is refused before a schema walks it.
 */
export const MAX_INPUT_DEPTH = 64

export interface CallLimit {
  readonly maxBytes: number
  /** The thing being sent, in the user's words: "a text", "a message". */
  readonly thing: string
  /** What to do instead when it is too large. */
  readonly instead: string
}

/** Calls that carry more than DEFAULT_CALL_BYTES. */
export const CALL_LIMITS: Readonly<Partial<Record<CallName, CallLimit>>> = {
  'knowledge.addText': {
    maxBytes: FRAME_LIMIT_BYTES,
    thing: 'a text',
    instead:
      'Save it as a file and import that instead: Knowledge → Import a folder takes a single file too, up to the knowledge.maxFileMb setting (20 MB unless changed, at most 512 MB).'
  }
}

/** The most one call may carry, encoded as JSON. */
export function callMaxBytes(name: string): number {
  return (Object.hasOwn(CALL_LIMITS, name) ? CALL_LIMITS[name as CallName]?.maxBytes : undefined) ?? DEFAULT_CALL_BYTES
}

/** Bytes of a string in UTF-8, counted without encoding it (a pasted text can be tens of megabytes). */
export function utf8Bytes(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < MIB) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / MIB).toFixed(1)} MB`
}

/** The refusal of a call whose payload is larger than its limit, in plain words; name '' for a frame not yet read. */
export function tooLarge(name: string, bytes: number, maxBytes = callMaxBytes(name)): RpcError {
  const limit = Object.hasOwn(CALL_LIMITS, name) ? CALL_LIMITS[name as CallName] : undefined
  const thing = limit?.thing ?? (name === '' ? 'a frame' : `the input of ${name.slice(0, 128)}`)
  const instead = limit?.instead ?? 'Send less at a time.'
  return rpcError(
    'too_large',
    `${capitalize(thing)} (${formatBytes(bytes)}) is too large: ${formatBytes(maxBytes)} is the most one call can carry. ${instead}`,
    {
      ...(name === '' ? {} : { call: name.slice(0, 128) })
    }
  )
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** A short, safe preview of a value refused for its size, so logs and messages never echo megabytes. */
export function preview(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${formatBytes(utf8Bytes(text))} in all)`
}

/**
 * Calls that start work in the background (a checklist run, a scan of every
 * model server, an import, a re-embed, an index rebuild, a download) rather than read what is
 * there. A host rate-limits them apart from, and much more strictly than,
 * other calls; the read-only token may still make the read-scoped ones, so a
 * dashboard can refresh what it shows.
 */
/** The read-only token's share of the work-starting rate: a dashboard may refresh, never keep the machine busy. */
export const READ_ONLY_WORK_SHARE = 1 / 4

export const WORK_STARTING_CALLS: ReadonlySet<string> = new Set<CallName>([
  'checklist.run',
  'models.scan',
  'knowledge.importFolder',
  'knowledge.reembed',
  'knowledge.rebuildIndex',
  'models.pull',
  'notify.test',
  'workflows.run'
])
