export function findElectronBinary(options: {
  electronDir: string
  env?: NodeJS.ProcessEnv
  download?: boolean
  timeoutMs?: number
}): Promise<{ path: string } | { missing: string }>

export function electronArch(
  binaryPath: string,
  options?: {
    platform?: NodeJS.Platform
    arch?: string
    env?: NodeJS.ProcessEnv
    run?: (file: string, args: string[], env: NodeJS.ProcessEnv) => string
  }
): string
