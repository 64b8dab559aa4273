import { existsSync } from 'node:fs'
import { createClient, type KosClient } from '../../shared/contract/client'
import { STARTUP_EXIT_CODE } from '../app/startup-error'
import { startCore } from '../app/start-core'
import { describeOwner, inspectInstanceLock } from '../db/instance-lock'
import { resolveDataDir } from '../platform/data-dir'
import { FULL_SCOPES } from '../rpc/in-process-client'
import type { CommandContext } from './command-context'
import { remoteBridge } from './remote-bridge'

/** One way for a command to reach the core, wherever it runs: the same typed client either way. */
export interface CoreConnection {
  readonly via: 'running-host' | 'local-core'
  readonly client: KosClient
  close(): Promise<void>
}

export type Connect =
  | { readonly ok: true; readonly connection: CoreConnection }
  | { readonly ok: false; readonly exitCode: number; readonly message: string }

/**
 * A `kos` command talks to the instance that owns the data dir when there is
 * one (through its HTTP API and WebSocket, with the token it left for its
 * owner), and otherwise opens the core itself without starting any
 * background work — never a second worker on one database.
 */
export async function connectToCore(ctx: CommandContext): Promise<Connect> {
  const dataDir = resolveDataDir(ctx.args.dataDir, ctx.platform)
  if (existsSync(dataDir.path)) {
    const found = inspectInstanceLock(dataDir.path)
    if (found.held) {
      const owner = found.owner
      if (owner?.url && owner.token) {
        const bridge = remoteBridge(owner.url, owner.token)
        return {
          ok: true,
          connection: { via: 'running-host', client: createClient(bridge), close: async () => bridge.close() }
        }
      }
      return {
        ok: false,
        exitCode: STARTUP_EXIT_CODE.instance_locked,
        message: `The data dir ${dataDir.path} is in use by ${describeOwner(owner)}, which takes no kos commands. Use its window, or quit it and run the command again.`
      }
    }
  }
  const started = startCore({
    hostKind: 'cli',
    ...(ctx.args.dataDir ? { dataDirFlag: ctx.args.dataDir } : {}),
    cliSettings: ctx.args.settings,
    platform: ctx.platform,
    appVersion: ctx.appVersion,
    background: false
  })
  if (!started.ok) return { ok: false, exitCode: STARTUP_EXIT_CODE[started.error.kind], message: started.error.message }
  const { core } = started
  return {
    ok: true,
    connection: {
      via: 'local-core',
      client: core.client({ scopes: FULL_SCOPES, transport: 'cli' }),
      close: () => core.close()
    }
  }
}

/**
 * Resolves once the client receives events (a running host's WebSocket is
 * open), so a read made after it misses none: null then, or why it cannot.
 */
export function whenSubscribed(client: KosClient): Promise<string | null> {
  return new Promise((resolve) => {
    let seen = false
    let off: () => void = () => undefined
    const settle = (outcome: string | null): void => {
      queueMicrotask(() => off())
      resolve(outcome)
    }
    off = client.onStatus((status) => {
      if (status === 'connected') settle(null)
      else if (status === 'unauthorized') settle('the running host refused the token it left for kos commands')
      else if (status === 'disconnected' && seen) settle('the running host closed the event stream')
      seen = true
    })
  })
}
