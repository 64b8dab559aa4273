/** The last N lines a process printed, for the Models view. */
export interface LineRing {
  push(line: string): void
  lines(): string[]
}

export function createLineRing(capacity: number): LineRing {
  const buffer: string[] = []
  return {
    push(line) {
      buffer.push(line)
      if (buffer.length > capacity) buffer.splice(0, buffer.length - capacity)
    },
    lines: () => [...buffer]
  }
}
