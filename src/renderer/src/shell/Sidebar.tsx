import { useRef, type KeyboardEvent, type ReactNode } from 'react'
import { viewDigit } from '../../../shared/views'
import { chord } from '../navigation/shortcuts'
import { VIEWS, type ViewId } from '../navigation/views'
import { ReadOnlyBadge } from './ReadOnlyBadge'

/**
 * The view list is one tab stop: arrow keys move between entries, Home/End
 * jump to the ends, Enter or Space opens the focused one.
 */
export function Sidebar({
  current,
  onSelect,
  modifier,
  paletteKey,
  onPalette
}: {
  current: ViewId
  onSelect: (view: ViewId) => void
  /** The modifier that switches views where the app runs (⌘, Ctrl, ⌥ or Alt), for the hints. */
  modifier: string
  paletteKey: string
  onPalette: () => void
}): ReactNode {
  const refs = useRef<(HTMLAnchorElement | null)[]>([])

  const onKeyDown = (event: KeyboardEvent<HTMLAnchorElement>, index: number): void => {
    const last = VIEWS.length - 1
    const next =
      event.key === 'ArrowDown'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowUp'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null
    if (next !== null) {
      event.preventDefault()
      refs.current[next]?.focus()
    } else if (event.key === ' ') {
      event.preventDefault()
      const view = VIEWS[index]
      if (view) onSelect(view.id)
    }
  }

  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span className="brand-name">Knowledge OS</span>
        <ReadOnlyBadge place="header" />
      </div>
      <ul role="list">
        {VIEWS.map((view, index) => {
          const digit = viewDigit(index)
          const hint = digit === undefined ? null : chord(modifier, String(digit))
          return (
            <li key={view.id}>
              <a
                ref={(el) => {
                  refs.current[index] = el
                }}
                href={`#/${view.id}`}
                className={view.id === current ? 'nav-item active' : 'nav-item'}
                aria-current={view.id === current ? 'page' : undefined}
                tabIndex={view.id === current ? 0 : -1}
                onKeyDown={(event) => onKeyDown(event, index)}
                title={hint ? `${view.label} (${hint})` : view.label}
              >
                <span className="nav-glyph" aria-hidden="true">
                  {view.glyph}
                </span>
                <span>{view.label}</span>
                {hint && <kbd aria-hidden="true">{hint}</kbd>}
              </a>
            </li>
          )
        })}
      </ul>
      <button
        type="button"
        className="palette-opener"
        onClick={onPalette}
        aria-keyshortcuts={paletteKey.replace('⌘', 'Meta+')}
      >
        <span>Commands…</span>
        <kbd aria-hidden="true">{paletteKey}</kbd>
      </button>
    </nav>
  )
}
