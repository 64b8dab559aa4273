import { afterEach } from 'vitest'
import { mountSmallFs, type SmallFs } from './small-fs'

/** Small tmpfs mounts, unmounted after the test that made them. */
export function useSmallFs(): (sizeMb: number) => SmallFs {
  const mounted: SmallFs[] = []
  afterEach(() => {
    for (const fs of mounted.splice(0)) fs.unmount()
  })
  return (sizeMb) => {
    const fs = mountSmallFs(sizeMb)
    mounted.push(fs)
    return fs
  }
}
