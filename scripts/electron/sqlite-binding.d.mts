export function electronSqliteBindingPath(root: string, arch: string): string
export function electronSqliteBinding(options: { root: string; arch: string; env?: NodeJS.ProcessEnv }): string
