import { existsSync } from 'node:fs'
import { WebSocket } from 'ws'
import type { Scope } from '../../shared/contract/define'
import { rpcError, type CallResult } from '../../shared/contract/rpc-error'
import type { EventFrame, ServerFrame } from '../../shared/contract/wire'
import { STARTUP_EXIT_CODE } from '../app/startup-error'
import { startCore } from '../app/start-core'
import { describeOwner, inspectInstanceLock } from '../db/instance-lock'
import { resolveDataDir } from '../platform/data-dir'
import type { CommandContext } from './command-context'

/** One way for a command to reach the core, wherever it runs. */
export interface CoreConnection {
  readonly via: 'running-host' | 'local-core'
  call(name: string, input: unknown): Promise<CallResult<unknown>>
  /** Pushed events, as a window receives them. */
  subscribe(listener: (event: EventFrame) => void): Promise<() => void>
  close(): Promise<void>
}

export type Connect = { readonly ok: true; readonly connection: CoreConnection } | { readonly ok: false; readonly exitCode: number; readonly message: string }

const FULL: ReadonlySet<Scope> = new Set<Scope>(['read', 'write'])

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
      if (owner?.url && owner.token) return { ok: true, connection: remoteConnection(owner.url, owner.token) }
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
      call: (name, input) => core.dispatcher.call(name, input, { scopes: FULL, transport: 'cli' }),
      subscribe: async (listener) => core.events.subscribe(listener),
      close: () => core.close()
    }
  }
}

function remoteConnection(origin: string, token: string): CoreConnection {
  const headers = { Authorization: `Bearer ${token}` }
  const sockets = new Set<WebSocket>()
  return {
    via: 'running-host',
    async call(name, input) {
      try {
        const response = await fetch(`${origin}/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {})
        })
        return (await response.json()) as CallResult<unknown>
      } catch (error) {
        return { ok: false, error: rpcError('unavailable', `The running host at ${origin} did not answer (${(error as Error).message}).`) }
      }
    },
    subscribe(listener) {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/rpc`, { headers })
        sockets.add(ws)
        ws.once('open', () => resolve(() => ws.close()))
        ws.once('error', reject)
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as ServerFrame
          if (frame.type === 'event') listener(frame)
        })
      })
    },
    async close() {
      for (const ws of sockets) ws.close()
    }
  }
}
