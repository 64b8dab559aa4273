import { useEffect, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { writeBlockReason } from '../model/access/write-access'
import { paletteMatches, type PaletteState } from '../model/palette/palette-model'
import type { PaletteCommand } from '../model/palette/palette-commands'
import { useApp, useSelect } from '../model/use-view-model'
import type { ViewModel } from '../model/view-model'
import { chord, paletteShortcut, type ShortcutHost } from '../navigation/shortcuts'
import './palette.css'

const LISTBOX_ID = 'palette-listbox'
const optionId = (command: PaletteCommand): string => `palette-option-${command.id}`

/**
 * The command palette: a modal dialog with a combobox over a listbox. Typing
 * filters (letters in order, gaps allowed), ↑/↓ (and Home/End) move, Enter
 * runs, Esc closes and gives focus back to where it was.
 */
export function CommandPalette({
  model,
  host,
  modifier
}: {
  model: ViewModel<PaletteState>
  host: ShortcutHost
  modifier: string
}): ReactNode {
  const open = useSelect(model, (s) => s.open)
  const query = useSelect(model, (s) => s.query)
  const active = useSelect(model, (s) => s.active)
  const running = useSelect(model, (s) => s.running)
  const message = useSelect(model, (s) => s.message)
  const session = useApp((s) => s.session)
  const { hide, type, move, point, run } = model.getState()
  const matches = useMemo(() => paletteMatches({ query }), [query])
  const input = useRef<HTMLInputElement>(null)
  const returnTo = useRef<HTMLElement | null>(null)

  useEffect(() => {
    if (!open) return
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    input.current?.focus()
    return () => returnTo.current?.focus()
  }, [open])

  useEffect(() => {
    document.getElementById(matches[active] ? optionId(matches[active]) : '')?.scrollIntoView({ block: 'nearest' })
  }, [active, matches])

  if (!open) return null

  const blocked = (command: PaletteCommand): string | null =>
    command.call ? writeBlockReason(session, command.call) : null

  const choose = async (command: PaletteCommand | undefined): Promise<void> => {
    if (!command || running || blocked(command)) return
    const outcome = await run(command)
    if (outcome.kind === 'navigate') location.hash = outcome.hash
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
      Home: () => move('first'),
      End: () => move('last'),
      Enter: () => void choose(matches[active]),
      Escape: () => hide(),
      // The dialog is modal: Tab stays on the one field.
      Tab: () => input.current?.focus()
    }
    const handle = keys[event.key]
    if (!handle) return
    event.preventDefault()
    event.stopPropagation()
    handle()
  }

  const current = matches[active]
  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && hide()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onKeyDown={onKeyDown}>
        <input
          ref={input}
          className="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={LISTBOX_ID}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current) : undefined}
          aria-label="Type a command or a view"
          placeholder="Type a command or a view…"
          value={query}
          onChange={(e) => type(e.target.value)}
          spellCheck={false}
        />
        <ul id={LISTBOX_ID} role="listbox" aria-label="Commands" className="palette-list">
          {matches.map((command, index) => {
            const reason = blocked(command)
            return (
              <li
                key={command.id}
                id={optionId(command)}
                role="option"
                aria-selected={index === active}
                aria-disabled={reason ? true : undefined}
                title={reason ?? undefined}
                className={index === active ? 'palette-option active' : 'palette-option'}
                onMouseMove={() => index !== active && point(index)}
                onClick={() => void choose(command)}
              >
                <span className="palette-group">{command.group}</span>
                <span className="palette-title">{command.title}</span>
                {running === command.id && <span className="muted">working…</span>}
                {reason && <span className="muted">read-only</span>}
                {command.digit !== undefined && <kbd>{chord(modifier, String(command.digit))}</kbd>}
              </li>
            )
          })}
        </ul>
        {matches.length === 0 && <p className="palette-empty">No command matches “{query}”.</p>}
        <p className={`palette-message ${message?.tone === 'error' ? 'field-error' : 'muted'}`} role="status">
          {message?.text ?? ''}
        </p>
        <p className="palette-help muted">
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to run · <kbd>Esc</kbd> to close ·{' '}
          <kbd>{paletteShortcut(host)}</kbd> opens this anywhere
        </p>
      </div>
    </div>
  )
}
