/** Node's words when a native module was built for another runtime's ABI (Node's instead of Electron's). */
const WRONG_ABI = /NODE_MODULE_VERSION|was compiled against a different Node\.js version/

/**
 * What to do about a start-up failure the shell can name better than the
 * core: from source, a SQLite built for Node instead of Electron means the
 * app was started without the launcher that builds the right one.
 */
export function startupHint(message: string, packaged: boolean): string {
  if (packaged || !WRONG_ABI.test(message)) return ''
  return ' From source, start the app with `npm start` or `npm run dev`: they build SQLite for Electron and pass it in KOS_SQLITE_BINDING.'
}
