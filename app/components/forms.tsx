import type { TFunction } from 'i18next'
import { useId } from 'react'
import { useT } from '#app/components/translation.tsx'

/** Client-side validation yields catalogue keys; server failures arrive already translated. */
export function translateError(t: TFunction, error: string, params: Record<string, string | number> = {}): string {
  return /^[a-z_]+(\.[a-z0-9_]+)+$/.test(error) ? t(error, params) : error
}

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t } = useT()
  if (!errors?.length) return null
  return (
    <ul id={id} className="field-errors">
      {errors.map((error) => (
        <li key={error}>{translateError(t, error)}</li>
      ))}
    </ul>
  )
}

/** Errors that belong to the whole form, announced to screen readers when they appear. */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t } = useT()
  if (!errors?.length) return null
  return (
    <div id={id} className="form-errors" role="alert">
      {errors.map((error) => (
        <p key={error}>{translateError(t, error)}</p>
      ))}
    </div>
  )
}

type FieldProps = {
  label: string
  hint?: string
  errors?: string[] | null
  inputProps: React.InputHTMLAttributes<HTMLInputElement> & { key?: string | null }
}

/** A labelled input with its hint and errors wired up for assistive technology. */
export function Field({ label, hint, errors, inputProps }: FieldProps) {
  const fallbackId = useId()
  const { key, ...props } = inputProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        key={key ?? undefined}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      />
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

type SelectFieldProps = {
  label: string
  errors?: string[] | null
  selectProps: React.SelectHTMLAttributes<HTMLSelectElement> & { key?: string | null }
  options: { value: string; label: string }[]
}

export function SelectField({ label, errors, selectProps, options }: SelectFieldProps) {
  const fallbackId = useId()
  const { key, ...props } = selectProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        key={key ?? undefined}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

type TextareaFieldProps = {
  label: string
  hint?: string
  errors?: string[] | null
  textareaProps: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { key?: string | null }
}

/** A labelled textarea with its hint and errors wired up for assistive technology. */
export function TextareaField({ label, hint, errors, textareaProps }: TextareaFieldProps) {
  const fallbackId = useId()
  const { key, ...props } = textareaProps
  const id = props.id ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        key={key ?? undefined}
        {...props}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      />
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}
