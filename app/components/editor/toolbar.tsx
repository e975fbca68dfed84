import { useEffect, useRef, useState } from 'react'
import { useHydrated } from '#app/components/hydrated.ts'
import { useT } from '#app/components/translation.tsx'
import {
  applyCommand,
  type Command,
  commandForKey,
  commands,
  diffEdit,
  type EditorState,
  type Placeholders,
  shortcutKeys,
} from './markdown-edits.ts'

/** Writes `next` into the textarea as the smallest edit, through the browser's own text insertion where
 *  it has one (so Ctrl+Z undoes it like typing), else by setting the value; either way an `input`
 *  event follows, so the form's validation and the draft's autosave see the change. Then selects
 *  `next.selection`. Other editor parts (mentions, uploads) insert text through it too. */
export function writeEdit(textarea: HTMLTextAreaElement, next: EditorState): void {
  const before = textarea.value
  if (before !== next.text) {
    const edit = diffEdit(before, next.text)
    textarea.focus()
    textarea.setSelectionRange(edit.start, edit.end)
    let inserted = false
    try {
      inserted =
        edit.text === '' ? document.execCommand('delete', false) : document.execCommand('insertText', false, edit.text)
    } catch {
      inserted = false
    }
    if (!inserted || textarea.value !== next.text) {
      textarea.value = next.text
      textarea.dispatchEvent(new Event('input', { bubbles: true }))
    }
  }
  textarea.focus()
  textarea.setSelectionRange(next.selection.start, next.selection.end)
}

/** The textarea's text and selection as the edit functions read them. */
export function readEditor(textarea: HTMLTextAreaElement): EditorState {
  return { text: textarea.value, selection: { start: textarea.selectionStart, end: textarea.selectionEnd } }
}

function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)
}

/** The editor's toolbar (bold, italic, link, code, list, quote, image) that writes markdown into the
 *  textarea, with keyboard shortcuts on the textarea (Ctrl or Cmd + B, I, K, E, Shift+8, Shift+.).
 *  Shown once JavaScript runs; without it the textarea takes markdown as typed. One tab stop: the arrow
 *  keys, Home and End move between its buttons. Image opens the file picker of the upload control
 *  beside the textarea (`<id>-upload`), or writes an image's markdown where there is none. */
export function EditorToolbar({ textareaId }: { textareaId: string }) {
  const hydrated = useHydrated()
  const { t } = useT()
  const [focused, setFocused] = useState(0)
  const buttons = useRef<(HTMLButtonElement | null)[]>([])
  const placeholders: Placeholders = {
    bold: t('editor.placeholders.bold'),
    italic: t('editor.placeholders.italic'),
    link: t('editor.placeholders.link'),
    code: t('editor.placeholders.code'),
    image: t('editor.placeholders.image'),
  }
  const latest = useRef(placeholders)
  latest.current = placeholders

  function run(command: Command) {
    const textarea = document.getElementById(textareaId)
    if (!(textarea instanceof HTMLTextAreaElement) || textarea.readOnly || textarea.disabled) return
    if (command === 'image') {
      const upload = document.getElementById(`${textareaId}-upload`)
      if (upload) {
        upload.click()
        return
      }
    }
    writeEdit(textarea, applyCommand(readEditor(textarea), command, latest.current))
  }
  const runRef = useRef(run)
  runRef.current = run

  useEffect(() => {
    if (!hydrated) return
    const textarea = document.getElementById(textareaId)
    if (!(textarea instanceof HTMLTextAreaElement)) return
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return
      const command = commandForKey(event)
      if (!command) return
      event.preventDefault()
      runRef.current(command)
    }
    textarea.addEventListener('keydown', onKeyDown)
    return () => textarea.removeEventListener('keydown', onKeyDown)
  }, [hydrated, textareaId])

  if (!hydrated) return null
  const mac = isMac()

  function onToolbarKey(event: React.KeyboardEvent<HTMLDivElement>) {
    const last = commands.length - 1
    const moves: Record<string, number> = {
      ArrowRight: focused === last ? 0 : focused + 1,
      ArrowDown: focused === last ? 0 : focused + 1,
      ArrowLeft: focused === 0 ? last : focused - 1,
      ArrowUp: focused === 0 ? last : focused - 1,
      Home: 0,
      End: last,
    }
    const next = moves[event.key]
    if (next === undefined) return
    event.preventDefault()
    setFocused(next)
    buttons.current[next]?.focus()
  }

  return (
    <div
      role="toolbar"
      aria-label={t('editor.toolbar.label')}
      aria-controls={textareaId}
      className="editor-toolbar"
      onKeyDown={onToolbarKey}
    >
      {commands.map((command, index) => {
        const label = t(`editor.toolbar.${command}`)
        const keys = shortcutKeys[command]
        const shown = keys ? `${mac ? '⌘' : 'Ctrl+'}${keys}` : null
        return (
          <button
            key={command}
            ref={(element) => {
              buttons.current[index] = element
            }}
            type="button"
            className={`editor-tool editor-tool-${command}`}
            tabIndex={index === focused ? 0 : -1}
            aria-label={label}
            title={shown ? t('editor.toolbar.with_keys', { label, keys: shown }) : label}
            aria-keyshortcuts={keys ? `Control+${keys} Meta+${keys}` : undefined}
            // The textarea keeps its focus and selection when a button is clicked.
            onMouseDown={(event) => event.preventDefault()}
            onFocus={() => setFocused(index)}
            onClick={() => run(command)}
          >
            <ToolIcon command={command} />
          </button>
        )
      })}
    </div>
  )
}

/** The outline of every button's picture: hidden from screen readers, which read the button's label. */
function Icon({ children }: { children: React.ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  )
}

function ToolIcon({ command }: { command: Command }) {
  switch (command) {
    case 'bold':
      return (
        <Icon>
          <path d="M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z" />
        </Icon>
      )
    case 'italic':
      return (
        <Icon>
          <path d="M11 5h7M6 19h7M14.5 5 9.5 19" />
        </Icon>
      )
    case 'link':
      return (
        <Icon>
          <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
        </Icon>
      )
    case 'code':
      return (
        <Icon>
          <path d="m8 7-5 5 5 5M16 7l5 5-5 5" />
        </Icon>
      )
    case 'list':
      return (
        <Icon>
          <path d="M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01" />
        </Icon>
      )
    case 'quote':
      return (
        <Icon>
          <path d="M5 7h5v5c0 3-2 5-5 6M14 7h5v5c0 3-2 5-5 6" />
        </Icon>
      )
    case 'image':
      return (
        <Icon>
          <rect x="3" y="5" width="18" height="14" rx="2" />
          <circle cx="9" cy="10" r="1.5" />
          <path d="m21 16-5-5-8 8" />
        </Icon>
      )
  }
}
