import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'

interface VirtualListProps<T> {
  readonly items: readonly T[]
  readonly rowHeight: number
  readonly height: number
  readonly label: string
  readonly selectedKey: string | null
  keyOf(item: T): string
  renderRow(item: T, selected: boolean): ReactNode
  onSelect(item: T): void
}

const OVERSCAN = 6

/**
 * A listbox that renders only the rows in view, so ten thousand tasks
 * scroll as lightly as ten. Arrow keys, Page Up/Down, Home and End move;
 * Enter or Space opens the active row.
 */
export function VirtualList<T>({ items, rowHeight, height, label, selectedKey, keyOf, renderRow, onSelect }: VirtualListProps<T>): ReactNode {
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
  const page = Math.max(1, Math.floor(height / rowHeight) - 1)

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity }
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
        aria-setsize={items.length}
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
