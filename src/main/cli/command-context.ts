import type { PlatformInfo } from '../platform/data-dir'
import type { ParsedArgs } from '../config/cli-args'

/** What a CLI command may touch of the world, passed in so tests can run commands in-process. */
export interface CommandContext {
  readonly args: ParsedArgs
  readonly platform: PlatformInfo
  readonly appVersion: string
  readonly rendererDir: string
  out(line: string): void
  err(line: string): void
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  untilStopped(): Promise<void>
}
