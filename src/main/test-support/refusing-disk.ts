/** A file writer whose disk refuses every write with `code` (ENOSPC, EROFS, …), shaped as fs reports it. */
export const refusingDisk =
  (code: string) =>
  (file: string): never => {
    throw Object.assign(new Error(`${code}: refused, open '${file}'`), { code, path: file })
  }
