import { useEffect, useId, useRef, useState } from 'react'
import { useFetcher } from 'react-router'
import { isConformIntent } from '#app/components/editor/draft-controls.tsx'
import { MentionSuggest } from '#app/components/editor/mention-suggest.tsx'
import { EditorToolbar } from '#app/components/editor/toolbar.tsx'
import { UploadControl } from '#app/components/editor/upload-control.tsx'
import { ErrorList, Textarea } from '#app/components/forms.tsx'
import { useHydrated } from '#app/components/hydrated.ts'
import { Prose } from '#app/components/prose.tsx'
import { useT } from '#app/components/translation.tsx'

type MarkdownFieldProps = {
  label: string
  errors?: string[] | null
  textareaProps: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { key?: string | null }
  /** Sanitized HTML rendered by the server for the last "Preview" press. */
  previewHtml?: string | null
  rows?: number
}

/** How long typing must pause before the preview is rendered again. */
const PREVIEW_DEBOUNCE_MS = 500
/** After the server said "too many previews", the next try waits at least this long. */
const PREVIEW_PAUSE_MS = 10_000

/** A markdown textarea with its label, a hint, its errors and a "Preview" button that asks the server
 *  to render what was typed (the same renderer as publishing), so it works without JavaScript. With
 *  JavaScript it gains the toolbar, mention suggestions and a live preview beside the text (below it
 *  on a narrow screen), rendered by the same action a moment after typing stops. */
export function MarkdownField({ label, errors, textareaProps, previewHtml, rows = 10 }: MarkdownFieldProps) {
  const { t } = useT()
  const hydrated = useHydrated()
  const fallbackId = useId()
  const { key, ...props } = textareaProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = `${id}-hint`
  const live = useLivePreview(id, previewHtml, hydrated)
  return (
    <div className={hydrated ? 'field markdown-field markdown-live' : 'field markdown-field'}>
      <label htmlFor={id}>{label}</label>
      <EditorToolbar textareaId={id} />
      <div className="markdown-panes">
        <div className="markdown-write suggest-anchor">
          <Textarea
            key={key ?? undefined}
            rows={rows}
            {...props}
            id={id}
            aria-invalid={errorId ? true : undefined}
            aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
          />
          <MentionSuggest textareaId={id} />
        </div>
        {hydrated ? (
          <section className="preview preview-live" aria-label={t('qa.preview_title')} aria-busy={live.busy}>
            <h3 className="preview-title">{t('qa.preview_title')}</h3>
            {live.html === null ? (
              <p className="muted">{t('editor.live_preview.idle')}</p>
            ) : live.html ? (
              <Prose html={live.html} />
            ) : (
              <p className="muted">{t('qa.preview_empty')}</p>
            )}
            {live.paused ? <p className="field-hint">{t('editor.live_preview.paused')}</p> : null}
          </section>
        ) : null}
      </div>
      <p id={hintId} className="field-hint">
        {t('qa.markdown_hint')}
      </p>
      <ErrorList id={errorId} errors={errors} />
      <UploadControl textareaId={id} />
      <div className="preview-actions">
        <button type="submit" name="intent" value="preview" className="button button-secondary" formNoValidate>
          {t('qa.preview')}
        </button>
      </div>
      {!hydrated && previewHtml != null ? (
        <section className="preview" aria-label={t('qa.preview_title')}>
          <h3 className="preview-title">{t('qa.preview_title')}</h3>
          {previewHtml ? <Prose html={previewHtml} /> : <p className="muted">{t('qa.preview_empty')}</p>}
        </section>
      ) : null}
    </div>
  )
}

type PreviewAnswer = { preview?: unknown }

/** The live preview: a moment after typing stops (and on first focus, for text already there), the
 *  text goes to the form's own action as `intent=preview`, the action every form already has for its
 *  Preview button, so the server renders it as it will be published. Only the body is sent, nothing is
 *  reloaded, one render is in flight at a time and unchanged text is not sent again. The server limits
 *  previews per member: past the limit the last preview stays, marked as paused, and the next try waits.
 *  A Preview press (the page's action data) shows its result too. */
function useLivePreview(textareaId: string, serverHtml: string | null | undefined, enabled: boolean) {
  const fetcher = useFetcher<PreviewAnswer>()
  const [html, setHtml] = useState<string | null>(serverHtml ?? null)
  const [paused, setPaused] = useState(false)
  const busy = fetcher.state !== 'idle'
  const latest = useRef({ busy, submit: fetcher.submit, pausedUntil: 0 })
  latest.current.busy = busy
  latest.current.submit = fetcher.submit

  useEffect(() => {
    if (serverHtml != null) setHtml(serverHtml)
  }, [serverHtml])

  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data) return
    if (typeof fetcher.data.preview === 'string') {
      setHtml(fetcher.data.preview)
      setPaused(false)
    } else {
      setPaused(true)
      latest.current.pausedUntil = Date.now() + PREVIEW_PAUSE_MS
    }
  }, [fetcher.state, fetcher.data])

  useEffect(() => {
    if (!enabled) return
    const element = document.getElementById(textareaId)
    if (!(element instanceof HTMLTextAreaElement)) return
    const textarea = element
    let timer: ReturnType<typeof setTimeout> | undefined
    let sent: string | null = null
    // Once the form is sent, no preview follows it: a preview posted after the submit would race the
    // submit's own navigation and revalidation (the page could keep showing what it showed before).
    let submitted = false
    function later(ms: number) {
      clearTimeout(timer)
      if (!submitted) timer = setTimeout(send, ms)
    }
    function onSubmit(event: SubmitEvent) {
      if (isConformIntent(event)) return
      submitted = true
      clearTimeout(timer)
    }
    function send() {
      const text = textarea.value
      if (submitted || text === sent) return
      const wait = latest.current.pausedUntil - Date.now()
      if (latest.current.busy || wait > 0) return later(Math.max(250, wait))
      sent = text
      if (text.trim() === '') return setHtml('')
      const action = textarea.form?.getAttribute('action') ?? undefined
      latest.current.submit(
        { intent: 'preview', [textarea.name || 'body']: text },
        { method: 'post', action, defaultShouldRevalidate: false, preventScrollReset: true },
      )
    }
    function onInput() {
      // Typing again (the form stayed, as after posting an answer) starts previews again.
      submitted = false
      later(PREVIEW_DEBOUNCE_MS)
    }
    function onFocus() {
      if (sent === null && textarea.value.trim() !== '') later(0)
    }
    const form = textarea.form
    textarea.addEventListener('input', onInput)
    textarea.addEventListener('focus', onFocus)
    form?.addEventListener('submit', onSubmit)
    return () => {
      clearTimeout(timer)
      form?.removeEventListener('submit', onSubmit)
      textarea.removeEventListener('input', onInput)
      textarea.removeEventListener('focus', onFocus)
    }
  }, [enabled, textareaId])

  return { html, paused, busy }
}
