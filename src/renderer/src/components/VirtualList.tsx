import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'

interface VirtualListProps<T> {
  readonly items: readonly T[]
  /** More rows follow what is loaded: near the end, the list asks for them with `onEndReached`. */
  readonly hasMore?: boolean
  /** How many rows there are in all, loaded or not, when known. */
  readonly total?: number | null
  onEndReached?(): void
  readonly rowHeight: number
  readonly height: number
  readonly label: string
  readonly selectedKey: string | null
  keyOf(item: T): string
  renderRow(item: T, selected: boolean): ReactNode
  onSelect(item: T): void
}

const OVERSCAN = 6
// Ask for the next page this many rows before the end of what is loaded, so it is there when the user gets there.
const AHEAD = 40

/**
 * A listbox that renders only the rows in view, so a million tasks scroll as
 * lightly as ten, and asks for the next page as the view nears the end of
 * what is loaded. Arrow keys, Page Up/Down, Home and End move; Enter or Space
 * opens the active row. (Fixed-height rows and one scroll container: the
 * ninety lines here do what this app needs, without a windowing library.)
 */
export function VirtualList<T>({
  items,
  hasMore = false,
  total = null,
  onEndReached,
  rowHeight,
  height,
  label,
  selectedKey,
  keyOf,
  renderRow,
  onSelect
}: VirtualListProps<T>): ReactNode {
  const ref = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [active, setActive] = useState(0)
  const activeIndex = Math.min(active, Math.max(0, items.length - 1))

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const top = activeIndex * rowHeight
    if (top < el.scrollTop) el.scrollTop = top
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height
  }, [activeIndex, rowHeight, height])

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN)
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN)
  const nearEnd = hasMore && Math.max(last, activeIndex + 1) + AHEAD >= items.length

  useEffect(() => {
    if (nearEnd) onEndReached?.()
  }, [nearEnd, items.length, onEndReached])
  const page = Math.max(1, Math.floor(height / rowHeight) - 1)

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity
    }
    const move = moves[event.key]
    if (move !== undefined) {
      event.preventDefault()
      setActive(Math.min(items.length - 1, Math.max(0, activeIndex + move)))
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      const item = items[activeIndex]
      if (item !== undefined) onSelect(item)
    }
  }

  const rows: ReactNode[] = []
  for (let i = first; i < last; i++) {
    const item = items[i] as T
    const key = keyOf(item)
    rows.push(
      <div
        key={key}
        id={`vrow-${key}`}
        role="option"
        aria-selected={key === selectedKey}
        aria-posinset={i + 1}
        aria-setsize={total ?? (hasMore ? -1 : items.length)}
        className={`vrow${i === activeIndex ? ' vrow-active' : ''}${key === selectedKey ? ' vrow-selected' : ''}`}
        style={{ top: i * rowHeight, height: rowHeight }}
        onClick={() => {
          setActive(i)
          onSelect(item)
        }}
      >
        {renderRow(item, key === selectedKey)}
      </div>
    )
  }
  const activeItem = items[activeIndex]
  return (
    <div
      ref={ref}
      className="vlist"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      style={{ height }}
      aria-activedescendant={activeItem !== undefined ? `vrow-${keyOf(activeItem)}` : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="vlist-spacer" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  )
}
