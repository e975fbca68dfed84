import { useId } from 'react'
import { ErrorList, Textarea } from '#app/components/forms.tsx'
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

/** A markdown textarea with its label, a hint, its errors and a "Preview" button that asks the server
 *  to render what was typed (the same renderer as publishing), so it works without JavaScript. */
export function MarkdownField({ label, errors, textareaProps, previewHtml, rows = 10 }: MarkdownFieldProps) {
  const { t } = useT()
  const fallbackId = useId()
  const { key, ...props } = textareaProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = `${id}-hint`
  return (
    <div className="field markdown-field">
      <label htmlFor={id}>{label}</label>
      <Textarea
        key={key ?? undefined}
        rows={rows}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
      />
      <p id={hintId} className="field-hint">
        {t('qa.markdown_hint')}
      </p>
      <ErrorList id={errorId} errors={errors} />
      <div className="preview-actions">
        <button type="submit" name="intent" value="preview" className="button button-secondary" formNoValidate>
          {t('qa.preview')}
        </button>
      </div>
      {previewHtml != null ? (
        <section className="preview" aria-label={t('qa.preview_title')}>
          <h3 className="preview-title">{t('qa.preview_title')}</h3>
          {previewHtml ? <Prose html={previewHtml} /> : <p className="muted">{t('qa.preview_empty')}</p>}
        </section>
      ) : null}
    </div>
  )
}
