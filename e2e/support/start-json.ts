import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

/** Starts a Node process (kos serve, a fake server) and resolves with the JSON of its first stdout line. */
export async function startJson<T>(
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`)))
  })
  return { child, info: JSON.parse(line) as T }
}
