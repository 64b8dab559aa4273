import type { CommandContext } from './command-context'
import { connectToCore, type CoreConnection } from './core-connection'

/** Runs a command body against the core, printing a refusal to connect and always closing. */
export async function withConnection(
  ctx: CommandContext,
  body: (connection: CoreConnection) => Promise<number>
): Promise<number> {
  const connected = await connectToCore(ctx)
  if (!connected.ok) {
    ctx.err(connected.message)
    return connected.exitCode
  }
  try {
    return await body(connected.connection)
  } finally {
    await connected.connection.close()
  }
}
