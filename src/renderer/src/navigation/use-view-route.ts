import { useCallback, useEffect, useState } from 'react'
import { useApp } from '../model/use-view-model'
import { VIEWS, VIEW_IDS, viewFromHash, type ViewId } from './views'

/**
 * The current view lives in the URL hash, so reload, back/forward and a
 * bookmarked headless URL all land on the same view. ⌘/Ctrl+1…9 in the
 * desktop app, Alt+1…9 in a browser (which keeps Ctrl+digit for its tabs)
 * switch views from anywhere (navigation/shortcuts.ts says which to show),
 * and the desktop shell's menu, tray and notifications ask for a view by event.
 */
export function useViewRoute(): { view: ViewId; go: (view: ViewId) => void } {
  const [view, setView] = useState<ViewId>(() => viewFromHash(location.hash))

  useEffect(() => {
    const onHash = (): void => setView(viewFromHash(location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  const go = useCallback((next: ViewId) => {
    location.hash = `#/${next}`
  }, [])

  const asked = useApp((s) => s.navigation)
  useEffect(() => {
    if (asked && (VIEW_IDS as readonly string[]).includes(asked.view)) go(asked.view as ViewId)
  }, [asked, go])

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.altKey || event.metaKey || event.ctrlKey) || event.shiftKey) return
      const digit = /^Digit([1-9])$/.exec(event.code)?.[1]
      const target = digit ? VIEWS[Number(digit) - 1] : undefined
      if (!target) return
      event.preventDefault()
      go(target.id)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [go])

  return { view, go }
}
