import { describeStorageFailure, failedFolder, freeBytes, storageFailureOf } from '../platform/storage-failure'
import type { CallContext, Handlers } from '../rpc/handler-types'
import { refuse, type Refusal } from '../rpc/refusal'

type AnyHandler = (input: unknown, ctx: CallContext) => unknown

/**
 * Every handler, with a refused write (full disk, read-only disk, SQLite's
 * I/O errors) turned into a typed `unavailable` that names the folder and
 * the free space, instead of an `internal` error. The store that failed has
 * already rolled its transaction back; the caller may simply try again once
 * there is room. `onRefused` is told of each one.
 */
export function withStorageFailures(
  handlers: Handlers,
  dataDir: string,
  onRefused: () => void = () => undefined
): Handlers {
  const wrapped: Record<string, AnyHandler> = {}
  for (const [name, handler] of Object.entries(handlers) as [string, AnyHandler][]) {
    wrapped[name] = async (input, ctx) => {
      try {
        return await handler(input, ctx)
      } catch (error) {
        const refusal = await asStorageRefusal(error, dataDir)
        if (!refusal) throw error
        // The disk monitor measures again at once rather than at its next sample.
        onRefused()
        return refusal
      }
    }
  }
  return wrapped as unknown as Handlers
}

/** The typed refusal for a storage error, or null when `error` is something else. */
export async function asStorageRefusal(error: unknown, dataDir: string): Promise<Refusal | null> {
  const failure = storageFailureOf(error)
  if (!failure) return null
  const dir = failedFolder(failure, dataDir)
  return refuse('unavailable', describeStorageFailure(failure, dir, await freeBytes(dir)))
}
