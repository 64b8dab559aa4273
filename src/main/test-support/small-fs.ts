import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

export interface SmallFs {
  readonly dir: string
  /** Writes filler files until the file system is full (the disk-full condition under test). */
  fill(): void
  /** Removes the filler files: space returns. */
  free(): void
  /** Makes the mount read-only (EROFS), or writable again. */
  setReadOnly(readOnly: boolean): void
}

/**
 * Why a small file system cannot be mounted here, or null when it can: it
 * needs Linux and root (`mount -t tmpfs`). Tests that need one skip with
 * this reason printed.
 */
export function smallFsUnavailable(): string | null {
  if (process.platform !== 'linux') return `mounting a small tmpfs needs Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root (run the suite as root, e.g. in CI, to include this test)'
  return null
}

/** Small tmpfs mounts, unmounted after the test that made them. */
export function useSmallFs(): (sizeMb: number) => SmallFs {
  const mounted: string[] = []
  afterEach(() => {
    for (const dir of mounted.splice(0)) {
      try {
        execFileSync('umount', ['-l', dir])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  })
  return (sizeMb) => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-smallfs-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir])
    mounted.push(dir)
    return smallFs(dir)
  }
}

function smallFs(dir: string): SmallFs {
  const fillers: string[] = []
  return {
    dir,
    fill() {
      // Big files first, then small ones, so the last few blocks are taken too.
      for (const size of [1024 * 1024, 64 * 1024, 4096, 512, 1]) {
        for (;;) {
          const file = join(dir, `.filler-${fillers.length}`)
          try {
            writeFileSync(file, Buffer.alloc(size))
            fillers.push(file)
          } catch {
            rmSync(file, { force: true })
            break
          }
        }
      }
    },
    free() {
      for (const file of fillers.splice(0)) rmSync(file, { force: true })
    },
    setReadOnly(readOnly) {
      execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir])
    }
  }
}
