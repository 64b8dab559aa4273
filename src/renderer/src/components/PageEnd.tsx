import { useEffect, useRef, type ReactNode } from 'react'

/**
 * The end of a list read a page at a time: when it scrolls into view the
 * next page is asked for, and its button does the same by keyboard or click.
 */
export function PageEnd({
  more,
  loading,
  label,
  onMore
}: {
  more: boolean
  loading: boolean
  label: string
  onMore(): void
}): ReactNode {
  const ref = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const element = ref.current
    if (!element || !more || loading) return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onMore()
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [more, loading, onMore])
  if (!more) return null
  return (
    <button ref={ref} type="button" className="link-button page-end" onClick={onMore} disabled={loading}>
      {loading ? 'Reading more…' : label}
    </button>
  )
}
