/**
 * Links leave the app only for http(s), and only after the person agrees:
 * a page that managed to inject a link cannot open file:, smb: or a custom
 * protocol handler behind their back.
 */
export async function openExternalSafely(
  url: string,
  deps: { confirm: (url: string) => Promise<boolean>; open: (url: string) => Promise<void> }
): Promise<'opened' | 'refused' | 'declined'> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'refused'
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'refused'
  if (!(await deps.confirm(parsed.href))) return 'declined'
  await deps.open(parsed.href)
  return 'opened'
}
