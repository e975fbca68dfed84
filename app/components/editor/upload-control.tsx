import { useEffect, useRef, useState } from 'react'
import { useHydrated } from '#app/components/hydrated.ts'
import { useT } from '#app/components/translation.tsx'
import { UPLOAD_FIELD } from '#app/domain/uploads/types.ts'
import { readEditor, writeEdit } from './toolbar.tsx'

type Upload = { url: string; markdown: string; fileName: string }
type Status = { kind: 'busy' | 'done' | 'error'; text: string } | null

/** The text of an answer from POST /uploads: the upload, or its translated error. */
async function send(
  file: File,
): Promise<{ ok: true; upload: Upload } | { ok: false; status: number; message?: string }> {
  const body = new FormData()
  body.append(UPLOAD_FIELD, file, file.name)
  const response = await fetch('/uploads', { method: 'POST', body, headers: { Accept: 'application/json' } })
  const json = (await response.json().catch(() => null)) as
    | (Upload & { error?: undefined })
    | { error?: { message?: string } }
    | null
  if (response.ok && json && 'markdown' in json) return { ok: true, upload: json }
  return { ok: false, status: response.status, message: json?.error?.message }
}

/** Puts `text` in place of `from..to` of the textarea's value, keeping the reader's cursor where it
 *  was relative to the text around it. Through the toolbar's `writeEdit` while the textarea has focus
 *  (so Ctrl+Z undoes it); otherwise the value is set without taking focus from wherever the member is
 *  typing now. Either way an `input` event tells the form, the draft and the preview. */
function replaceRange(textarea: HTMLTextAreaElement, from: number, to: number, text: string) {
  const { text: before, selection } = readEditor(textarea)
  const next = before.slice(0, from) + text + before.slice(to)
  const shift = (at: number) => (at >= to ? at + text.length - (to - from) : Math.min(at, from + text.length))
  const nextSelection = { start: shift(selection.start), end: shift(selection.end) }
  if (document.activeElement === textarea) {
    writeEdit(textarea, { text: next, selection: nextSelection })
    return
  }
  textarea.value = next
  textarea.setSelectionRange(nextSelection.start, nextSelection.end)
  textarea.dispatchEvent(new Event('input', { bubbles: true }))
}

/** Attaching files to a markdown field. Without JavaScript: a plain file input sent with the form
 *  (the route stores the file and adds its markdown to the text; "Attach" shows the form again with
 *  it). With JavaScript: an "Attach file" button, and pasting (a screenshot from the clipboard) or
 *  dropping files on the textarea; each file is uploaded at once (POST /uploads), a placeholder
 *  stands at the cursor meanwhile and becomes the file's markdown, or goes with a message read out
 *  by screen readers. The file input's id is `<textarea id>-upload`: the toolbar's image button
 *  opens it. */
export function UploadControl({ textareaId }: { textareaId: string }) {
  const { t } = useT()
  const hydrated = useHydrated()
  const inputId = `${textareaId}-upload`
  const input = useRef<HTMLInputElement>(null)
  const [status, setStatus] = useState<Status>(null)
  const counter = useRef(0)
  const messages = useRef({ t })
  messages.current = { t }

  async function uploadFiles(files: File[]) {
    const textarea = document.getElementById(textareaId)
    if (!(textarea instanceof HTMLTextAreaElement) || !files.length) return
    const { t } = messages.current
    // One placeholder per file at the cursor, each on its own line, in the order given.
    const pending = files.map((file) => {
      const name = file.name && file.name !== 'image.png' ? file.name : `${t('uploads.control.pasted_name')}.png`
      counter.current += 1
      return {
        file: new File([file], name, { type: file.type }),
        marker: `![${t('uploads.control.placeholder', { name })} #${counter.current}]()`,
      }
    })
    const { text, selection } = readEditor(textarea)
    const lead = selection.start > 0 && text[selection.start - 1] !== '\n' ? '\n' : ''
    const inserted = `${lead}${pending.map((p) => p.marker).join('\n')}\n`
    replaceRange(textarea, selection.start, selection.end, inserted)

    for (const { file, marker } of pending) {
      setStatus({ kind: 'busy', text: t('uploads.control.uploading', { name: file.name }) })
      const result = await send(file).catch(() => ({ ok: false as const, status: 0, message: undefined }))
      const at = textarea.value.indexOf(marker)
      if (result.ok) {
        if (at >= 0) replaceRange(textarea, at, at + marker.length, result.upload.markdown)
        setStatus({ kind: 'done', text: t('uploads.control.attached', { name: result.upload.fileName }) })
        continue
      }
      // The placeholder goes, with the line it stood on when it was alone there.
      if (at >= 0) {
        const end = textarea.value[at + marker.length] === '\n' ? at + marker.length + 1 : at + marker.length
        replaceRange(textarea, at, end, '')
      }
      const message =
        result.message ?? (result.status === 413 ? t('uploads.control.too_large') : t('uploads.control.network'))
      setStatus({ kind: 'error', text: t('uploads.control.failed', { name: file.name, message }) })
    }
  }
  const upload = useRef(uploadFiles)
  upload.current = uploadFiles

  // Paste and drop on the textarea: files upload; text pastes and drops as the browser does it.
  useEffect(() => {
    const textarea = document.getElementById(textareaId)
    if (!(textarea instanceof HTMLTextAreaElement)) return
    const filesOf = (data: DataTransfer | null) => Array.from(data?.files ?? [])
    const hasFiles = (data: DataTransfer | null) => !!data && Array.from(data.types).includes('Files')
    const onPaste = (event: ClipboardEvent) => {
      const files = filesOf(event.clipboardData)
      if (!files.length) return
      event.preventDefault()
      void upload.current(files)
    }
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer)) return
      event.preventDefault()
      textarea.classList.add('drop-target')
    }
    const onDragLeave = () => textarea.classList.remove('drop-target')
    const onDrop = (event: DragEvent) => {
      textarea.classList.remove('drop-target')
      const files = filesOf(event.dataTransfer)
      if (!files.length) return
      event.preventDefault()
      void upload.current(files)
    }
    textarea.addEventListener('paste', onPaste)
    textarea.addEventListener('dragover', onDragOver)
    textarea.addEventListener('dragleave', onDragLeave)
    textarea.addEventListener('drop', onDrop)
    return () => {
      textarea.removeEventListener('paste', onPaste)
      textarea.removeEventListener('dragover', onDragOver)
      textarea.removeEventListener('dragleave', onDragLeave)
      textarea.removeEventListener('drop', onDrop)
    }
  }, [textareaId])

  return (
    <div className="upload-control">
      <div className={hydrated ? 'visually-hidden' : 'upload-control-plain'}>
        <label htmlFor={inputId}>{t('uploads.control.label')}</label>{' '}
        <input
          ref={input}
          id={inputId}
          type="file"
          name={UPLOAD_FIELD}
          multiple
          tabIndex={hydrated ? -1 : undefined}
          onChange={(event) => {
            if (!hydrated) return
            const files = Array.from(event.currentTarget.files ?? [])
            // Sent now, so the form itself carries no file when it is submitted.
            event.currentTarget.value = ''
            void uploadFiles(files)
          }}
        />{' '}
        {hydrated ? null : (
          <button
            type="submit"
            name="intent"
            value="preview"
            className="button button-secondary button-small"
            formNoValidate
          >
            {t('uploads.control.attach')}
          </button>
        )}
      </div>
      {hydrated ? (
        <button
          type="button"
          className="button button-secondary button-small"
          aria-describedby={`${inputId}-hint`}
          onClick={() => input.current?.click()}
        >
          {t('uploads.control.choose')}
        </button>
      ) : null}
      <p id={`${inputId}-hint`} className="field-hint">
        {t(hydrated ? 'uploads.control.hint_js' : 'uploads.control.hint')}
      </p>
      <p
        className={status?.kind === 'error' ? 'upload-status field-errors' : 'upload-status field-hint'}
        role="status"
        aria-live="polite"
      >
        {status?.text ?? ''}
      </p>
    </div>
  )
}
