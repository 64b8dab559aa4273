/** Names the app goes by on disk and on screen; one place so paths and titles agree. */
export const APP_IDENTITY = {
  productName: 'Knowledge OS Control Center',
  slug: 'knowledge-os-control-center',
  cliName: 'kos'
} as const
