import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SmallFs {
  readonly dir: string
  /** Writes filler files until the file system is full (the disk-full condition under test). */
  fill(): void
  /** Removes the filler files: space returns. */
  free(): void
  /** Makes the mount read-only (EROFS), or writable again. */
  setReadOnly(readOnly: boolean): void
  /** Grows (or shrinks) the file system, as freeing space on a real disk would. */
  resize(sizeMb: number): void
  /** Unmounts it (lazily, should a process still hold a file there) and removes the folder. */
  unmount(): void
}

let probed: string | null | undefined

/**
 * Why a small file system cannot be mounted here, or null when it can: it
 * needs Linux and root, and a container may still refuse `mount -t tmpfs`
 * (no CAP_SYS_ADMIN), so one is mounted and unmounted to find out. Tests
 * that need one skip with this reason printed. Root in a user namespace
 * (`unshare -rm`) is enough where the kernel allows those (Debian does): the
 * whole test process must run inside it, so the host it starts sees the
 * mount too.
 */
export function smallFsUnavailable(): string | null {
  if (probed !== undefined) return probed
  if (process.platform !== 'linux') probed = `mounting a small tmpfs needs Linux (this is ${process.platform})`
  else if (process.getuid?.() !== 0)
    probed =
      'mounting a small tmpfs needs root: run the suite as root, as CI does, or this test alone in a user namespace where you are root: unshare --user --map-root-user --mount npx vitest run <file> (or npx playwright test <spec>)'
  else {
    try {
      mountSmallFs(1).unmount()
      probed = null
    } catch (error) {
      probed = `mount -t tmpfs is not permitted here (${(error as Error).message.split('\n')[0] ?? ''})`
    }
  }
  return probed
}

/** Mounts a tmpfs of `sizeMb` on a fresh folder (Linux, root: see smallFsUnavailable). */
export function mountSmallFs(sizeMb: number): SmallFs {
  const dir = mkdtempSync(join(tmpdir(), 'kos-smallfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir])
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return smallFs(dir)
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
    },
    resize(sizeMb) {
      execFileSync('mount', ['-o', `remount,size=${sizeMb}m`, dir])
    },
    unmount() {
      try {
        execFileSync('umount', ['-l', dir])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
