import { useId, useRef, useState } from 'react'
import { tagBeingTyped, tagsBefore, withTag } from '#app/components/editor/markdown-edits.ts'
import { TYPED_WITHIN_MS, useSuggestions } from '#app/components/editor/use-suggestions.ts'
import { ErrorList } from '#app/components/forms.tsx'
import { useHydrated } from '#app/components/hydrated.ts'
import { useT } from '#app/components/translation.tsx'

type TagSuggestion = { name: string; questions: number }

type TagFieldProps = {
  label: string
  hint?: string
  errors?: string[] | null
  inputProps: React.InputHTMLAttributes<HTMLInputElement> & { key?: string | null }
}

/** The tags field: without JavaScript the plain text field (tags separated by commas); with it, a
 *  combobox that suggests existing tags, with their question counts, for the tag being typed (from
 *  `/tags/suggest`). Up and Down choose, Enter adds the tag and a comma, Escape closes; a click adds
 *  too. Tags already in the field are not offered again. */
export function TagField({ label, hint, errors, inputProps }: TagFieldProps) {
  const { t } = useT()
  const hydrated = useHydrated()
  const { key, ...props } = inputProps
  const fallbackId = useId()
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  const listId = `${id}-suggestions`
  const input = useRef<HTMLInputElement | null>(null)
  const [query, setQuery] = useState('')
  const [found, setFound] = useState<TagSuggestion[]>([])
  const [active, setActive] = useState(0)
  const [closed, setClosed] = useState(false)
  const open = hydrated && !closed && found.length > 0

  const typedAt = useRef(0)

  /** Suggestions follow what a person types: text set all at once (a paste, autofill, a script) asks
   *  for none, so no list appears over the form unasked. */
  function read() {
    const value = input.current?.value ?? ''
    if (Date.now() - typedAt.current > TYPED_WITHIN_MS) {
      setQuery('')
      return
    }
    setClosed(false)
    setQuery(tagBeingTyped(value).query)
  }

  useSuggestions(
    query ? `/tags/suggest?q=${encodeURIComponent(query)}` : null,
    (body) => {
      const tags = (body as { tags?: TagSuggestion[] }).tags
      const taken = new Set(tagsBefore(input.current?.value ?? ''))
      return (Array.isArray(tags) ? tags : []).filter((tag) => !taken.has(tag.name))
    },
    (tags) => {
      setFound(tags)
      setActive(0)
    },
  )

  function choose(index: number) {
    const element = input.current
    const tag = found[index]
    if (!element || !tag) return
    element.value = withTag(element.value, tag.name)
    element.dispatchEvent(new Event('input', { bubbles: true }))
    element.focus()
    element.setSelectionRange(element.value.length, element.value.length)
    setFound([])
    setQuery('')
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    props.onKeyDown?.(event)
    const { key, ctrlKey, metaKey } = event
    if (!ctrlKey && !metaKey && (key.length === 1 || key === 'Backspace' || event.nativeEvent.isComposing))
      typedAt.current = Date.now()
    if (!open || event.nativeEvent.isComposing) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((active + step + found.length) % found.length)
    } else if (event.key === 'Enter') {
      // Adds the tag instead of sending the form.
      event.preventDefault()
      choose(active)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      setClosed(true)
    }
  }

  const combobox = hydrated
    ? {
        role: 'combobox',
        'aria-autocomplete': 'list' as const,
        'aria-expanded': open,
        'aria-controls': listId,
        'aria-activedescendant': open ? `${listId}-${active}` : undefined,
      }
    : {}
  return (
    <div className="field tag-field">
      <label htmlFor={id}>{label}</label>
      <div className="suggest-anchor">
        <input
          key={key ?? undefined}
          {...props}
          ref={input}
          id={id}
          aria-invalid={errorId ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
          {...combobox}
          onInput={(event) => {
            props.onInput?.(event)
            read()
          }}
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            props.onBlur?.(event)
            setClosed(true)
          }}
        />
        {hydrated ? (
          <div
            id={listId}
            role="listbox"
            aria-label={t('editor.tags.suggestions')}
            className="suggest-popup"
            hidden={!open}
          >
            {open
              ? found.map((tag, index) => (
                  // The keyboard works through the text field (aria-activedescendant); a pointer picks here,
                  // and pressing must not take the focus from the field.
                  // biome-ignore lint/a11y/useKeyWithClickEvents: the text field handles the keyboard for the list
                  <div
                    key={tag.name}
                    id={`${listId}-${index}`}
                    role="option"
                    tabIndex={-1}
                    aria-selected={index === active}
                    className="suggest-option"
                    onMouseDown={(event) => event.preventDefault()}
                    onMouseEnter={() => setActive(index)}
                    onClick={() => choose(index)}
                  >
                    <span className="tag">{tag.name}</span>{' '}
                    <span className="muted">{t('editor.tags.questions', { count: tag.questions })}</span>
                  </div>
                ))
              : null}
          </div>
        ) : null}
      </div>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
      {hydrated ? (
        <p className="visually-hidden" aria-live="polite" aria-atomic="true">
          {open ? t('editor.tags.found', { count: found.length }) : ''}
        </p>
      ) : null}
    </div>
  )
}
