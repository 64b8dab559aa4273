import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { createMcpServer } from '../../hosts/mcp/mcp-server'
import type { CommandContext } from '../command-context'
import { connectToCore } from '../core-connection'

/**
 * `kos mcp`: the MCP server on stdin/stdout, for an AI tool to start as a
 * child process. Stdout carries the protocol only; messages go to stderr.
 */
export async function mcp(ctx: CommandContext): Promise<number> {
  const connected = await connectToCore(ctx)
  if (!connected.ok) {
    ctx.err(connected.message)
    return connected.exitCode
  }
  const { connection } = connected
  const server = createMcpServer(connection.client, ctx.appVersion)
  await server.connect(new StdioServerTransport())
  ctx.err(
    `kos mcp: serving the MCP tools over stdio (${connection.via === 'running-host' ? 'through the running host' : 'on the data dir directly'}).`
  )
  await Promise.race([ctx.untilStopped(), new Promise<void>((resolve) => process.stdin.once('end', () => resolve()))])
  await server.close()
  await connection.close()
  return 0
}
