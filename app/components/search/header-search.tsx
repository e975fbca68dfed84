import { useEffect, useId, useRef, useState } from 'react'
import { Form, useLocation, useNavigate } from 'react-router'
import { useHydrated } from '#app/components/hydrated.ts'
import { useT } from '#app/components/translation.tsx'
import { Highlighted } from './highlighted.tsx'
import type { Suggestion, SuggestResponse } from './suggestions.ts'
import './search.css'

/** Typing pauses this long before suggestions are asked for. */
const DEBOUNCE_MS = 150

type Option = { key: string; url: string; suggestion: Suggestion | null }

/** The header's search box. Without JavaScript it is a plain GET form to /search. Once hydrated it is
 *  also a combobox (WAI-ARIA 1.2 pattern, list autocomplete): suggestions appear as the reader types,
 *  arrow keys move through them, Enter opens the active one (or searches), Escape closes the list.
 *  The last option always searches for what was typed. The input stays uncontrolled, so what was
 *  typed before hydration is kept. */
export function HeaderSearch() {
  const { t } = useT()
  const hydrated = useHydrated()
  const navigate = useNavigate()
  const location = useLocation()
  const id = useId()
  const inputId = `${id}-q`
  const listId = `${id}-list`
  const input = useRef<HTMLInputElement>(null)
  const [value, setValue] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const query = value.trim()
  const suggestions = useSuggestions(query)

  useEffect(() => {
    if (input.current?.value) setValue(input.current.value)
  }, [])

  // Leaving the page (a suggestion, the search page, any link) closes the list.
  const path = location.pathname + location.search
  const lastPath = useRef(path)
  useEffect(() => {
    if (lastPath.current === path) return
    lastPath.current = path
    setOpen(false)
    setActive(-1)
  }, [path])

  const options: Option[] = query
    ? [
        ...suggestions.map((suggestion) => ({ key: suggestion.id, url: suggestion.url, suggestion })),
        { key: 'search', url: `/search?q=${encodeURIComponent(query)}`, suggestion: null },
      ]
    : []
  const expanded = hydrated && open && options.length > 0
  const optionId = (index: number) => `${listId}-${index}`

  function close() {
    setOpen(false)
    setActive(-1)
  }

  function choose(option: Option) {
    close()
    if (option.suggestion && input.current) {
      input.current.value = ''
      setValue('')
    }
    navigate(option.url)
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    const count = options.length
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!count) return
      event.preventDefault()
      const down = event.key === 'ArrowDown'
      setOpen(true)
      setActive((current) => {
        if (!expanded || current < 0) return down ? 0 : count - 1
        return (current + (down ? 1 : -1) + count) % count
      })
      return
    }
    const chosen = options[active]
    if (event.key === 'Enter' && expanded && chosen) {
      event.preventDefault()
      choose(chosen)
      return
    }
    if (event.key === 'Escape' && expanded) {
      event.preventDefault()
      close()
    }
  }

  const comboboxProps: React.InputHTMLAttributes<HTMLInputElement> = hydrated
    ? {
        role: 'combobox',
        autoComplete: 'off',
        'aria-autocomplete': 'list',
        'aria-expanded': expanded,
        'aria-controls': listId,
        'aria-activedescendant': expanded && active >= 0 ? optionId(active) : undefined,
        onChange: (event) => {
          setValue(event.target.value)
          setOpen(true)
          setActive(-1)
        },
        onKeyDown,
        onFocus: () => setOpen(true),
        onBlur: close,
      }
    : {}

  return (
    <Form
      method="get"
      action="/search"
      role="search"
      aria-label={t('search.header.landmark')}
      className="header-search"
      onSubmit={close}
    >
      <label htmlFor={inputId} className="visually-hidden">
        {t('search.header.label')}
      </label>
      <input
        ref={input}
        id={inputId}
        name="q"
        type="search"
        placeholder={t('search.header.placeholder')}
        enterKeyHint="search"
        {...comboboxProps}
      />
      <button type="submit" className="header-search-submit">
        <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16" focusable="false">
          <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="m13 13 4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="visually-hidden">{t('search.header.submit')}</span>
      </button>
      {hydrated ? (
        <>
          <div
            id={listId}
            role="listbox"
            aria-label={t('search.header.suggestions')}
            className="header-search-list"
            hidden={!expanded}
          >
            {options.map((option, index) => (
              // The keyboard works through the input (aria-activedescendant); a pointer picks here, and
              // pressing it must not take the focus away from the input.
              // biome-ignore lint/a11y/useKeyWithClickEvents: the input handles the keyboard for the listbox
              <div
                key={option.key}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                className={option.suggestion ? 'header-search-option' : 'header-search-option header-search-all'}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(option)}
              >
                {option.suggestion ? (
                  <>
                    <span className="header-search-kind">{t(`search.types.${option.suggestion.type}`)}</span>{' '}
                    <span lang={option.suggestion.locale}>
                      <Highlighted parts={option.suggestion.title} />
                    </span>
                  </>
                ) : (
                  t('search.header.search_for', { q: query })
                )}
              </div>
            ))}
          </div>
          {/* A live region, not role="status": the page's own status notices stay the only "status". */}
          <p className="visually-hidden" aria-live="polite" aria-atomic="true">
            {expanded ? t('search.header.count', { count: suggestions.length }) : ''}
          </p>
        </>
      ) : null}
    </Form>
  )
}

/** Suggestions for what is typed, asked for after a short pause; newer typing cancels an older
 *  request. While an answer is on its way the previous suggestions stay, so the list does not flicker. */
function useSuggestions(query: string): Suggestion[] {
  const [hits, setHits] = useState<Suggestion[]>([])
  useEffect(() => {
    if (!query) return
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/search/suggest?q=${encodeURIComponent(query)}`, {
          signal: controller.signal,
          headers: { Accept: 'application/json' },
        })
        const body = (await response.json()) as SuggestResponse
        setHits(body.hits ?? [])
      } catch {
        // Cancelled by newer typing, or the network is down: the search page still works.
      }
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [query])
  return query ? hits : []
}
