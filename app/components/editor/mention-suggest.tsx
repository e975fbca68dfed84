import { useEffect, useRef, useState } from 'react'
import { useHydrated } from '#app/components/hydrated.ts'
import { Avatar } from '#app/components/people/avatar.tsx'
import { useT } from '#app/components/translation.tsx'
import { insertMention, mentionAt } from './markdown-edits.ts'
import { readEditor, writeEdit } from './toolbar.tsx'
import { TYPED_WITHIN_MS, useSuggestions } from './use-suggestions.ts'

export type MentionUser = { id: number; name: string; avatarUrl?: string }

type Typing = { start: number; query: string }

/** Suggestions of people while an "@" mention is typed in the textarea: a list under it, from
 *  `/users/suggest`, after one character. The textarea keeps the focus and says which option is active
 *  (aria-activedescendant); Up and Down choose, Enter or Tab inserts `@Display Name `, Escape closes,
 *  and a click inserts too. Nothing is shown without JavaScript, where mentions are typed by hand. */
export function MentionSuggest({ textareaId }: { textareaId: string }) {
  const hydrated = useHydrated()
  const { t } = useT()
  const [typing, setTyping] = useState<Typing | null>(null)
  const [users, setUsers] = useState<MentionUser[]>([])
  const [active, setActive] = useState(0)
  const dismissed = useRef<number | null>(null)
  const listId = `${textareaId}-mentions`
  const open = typing !== null && users.length > 0
  const state = useRef({ open, users, active, typing })
  state.current = { open, users, active, typing }

  function textarea(): HTMLTextAreaElement | null {
    const element = document.getElementById(textareaId)
    return element instanceof HTMLTextAreaElement ? element : null
  }

  function choose(index: number) {
    const element = textarea()
    const { typing: current, users: found } = state.current
    const user = found[index]
    if (!element || !current || !user) return
    setTyping(null)
    setUsers([])
    writeEdit(element, insertMention(readEditor(element), current.start, user.name))
  }
  const chooseRef = useRef(choose)
  chooseRef.current = choose

  // Reads the mention at the caret whenever the text or the caret moves.
  useEffect(() => {
    if (!hydrated) return
    const element = document.getElementById(textareaId)
    if (!(element instanceof HTMLTextAreaElement)) return
    const field = element
    let typedAt = 0
    /** Opens on what a person types; a caret moved by a click or an arrow only updates or closes an
     *  open list, and text set all at once (a paste, a restored draft, a script) opens nothing. */
    function check(opening: boolean) {
      const caret = field.selectionStart
      const found = caret === field.selectionEnd ? mentionAt(field.value, caret) : null
      if (found && found.start === dismissed.current) return setTyping(null)
      if (!found) dismissed.current = null
      setTyping((before) => {
        if (found && !before && !opening) return null
        return before?.start === found?.start && before?.query === found?.query ? before : found
      })
    }
    function onInput() {
      check(Date.now() - typedAt < TYPED_WITHIN_MS)
    }
    function onKeyDown(event: KeyboardEvent) {
      if (
        !event.ctrlKey &&
        !event.metaKey &&
        (event.key.length === 1 || event.key === 'Backspace' || event.isComposing)
      )
        typedAt = Date.now()
      const { open: shown, users: found, active: current } = state.current
      if (!shown || event.isComposing || event.defaultPrevented) return
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        const step = event.key === 'ArrowDown' ? 1 : -1
        setActive((current + step + found.length) % found.length)
      } else if (event.key === 'Enter' || event.key === 'Tab') {
        if (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return
        event.preventDefault()
        chooseRef.current(current)
      } else if (event.key === 'Escape') {
        event.preventDefault()
        dismissed.current = state.current.typing?.start ?? null
        setTyping(null)
      }
    }
    function onKeyUp(event: KeyboardEvent) {
      if (['ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(event.key)) check(false)
    }
    function close() {
      setTyping(null)
    }
    const onClick = () => check(false)
    field.addEventListener('input', onInput)
    field.addEventListener('click', onClick)
    field.addEventListener('keyup', onKeyUp)
    field.addEventListener('keydown', onKeyDown)
    field.addEventListener('blur', close)
    return () => {
      field.removeEventListener('input', onInput)
      field.removeEventListener('click', onClick)
      field.removeEventListener('keyup', onKeyUp)
      field.removeEventListener('keydown', onKeyDown)
      field.removeEventListener('blur', close)
    }
  }, [hydrated, textareaId])

  // Asks for people shortly after typing stops; a newer query cancels the one before.
  const query = typing?.query ?? ''
  useSuggestions(
    query ? `/users/suggest?q=${encodeURIComponent(query)}` : null,
    (body) => {
      const found = (body as { users?: MentionUser[] }).users
      return Array.isArray(found) ? found : []
    },
    (found) => {
      setUsers(found)
      setActive(0)
    },
  )

  // The textarea names the list and its active option while the list is open.
  const activeId = open ? `${listId}-${users[active]?.id}` : null
  useEffect(() => {
    const element = document.getElementById(textareaId)
    if (!(element instanceof HTMLTextAreaElement) || !hydrated) return
    element.setAttribute('aria-autocomplete', 'list')
    if (activeId) {
      element.setAttribute('aria-controls', listId)
      element.setAttribute('aria-activedescendant', activeId)
    } else {
      element.removeAttribute('aria-controls')
      element.removeAttribute('aria-activedescendant')
    }
  }, [activeId, hydrated, listId, textareaId])

  if (!hydrated) return null
  return (
    <>
      {open ? (
        <div id={listId} role="listbox" aria-label={t('editor.mentions.label')} className="suggest-popup">
          {users.map((user, index) => (
            // The keyboard works through the text field (aria-activedescendant); a pointer picks here,
            // and pressing must not take the focus from the field.
            // biome-ignore lint/a11y/useKeyWithClickEvents: the text field handles the keyboard for the list
            <div
              key={user.id}
              id={`${listId}-${user.id}`}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              className="suggest-option"
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => choose(index)}
            >
              {user.avatarUrl ? (
                <img className="avatar" src={user.avatarUrl} width={20} height={20} alt="" loading="lazy" />
              ) : (
                <Avatar user={{ id: user.id, displayName: user.name }} size={20} />
              )}
              <span>{user.name}</span>
            </div>
          ))}
        </div>
      ) : null}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {open ? t('editor.mentions.found', { count: users.length }) : ''}
      </p>
    </>
  )
}
