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

/** The ids that tie a control to its hint and errors, and the attributes that say so. */
function useDescribedControl(
  givenId: string | undefined,
  hint: string | undefined,
  errors: string[] | null | undefined,
) {
  const fallbackId = useId()
  const id = givenId ?? fallbackId
  const errorId = errors?.length ? `${id}-error` : undefined
  const hintId = hint ? `${id}-hint` : undefined
  return {
    id,
    errorId,
    hintId,
    aria: {
      'aria-invalid': errorId ? true : undefined,
      'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
    },
  }
}

/** A control's label above it, its hint and its errors below. */
function FieldShell({
  id,
  label,
  hint,
  hintId,
  errors,
  errorId,
  children,
}: {
  id: string
  label: string
  hint?: string
  hintId?: string
  errors?: string[] | null
  errorId?: string
  children: React.ReactNode
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
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
  const { key, ...props } = inputProps
  const { id, errorId, hintId, aria } = useDescribedControl(props.id, hint, errors)
  return (
    <FieldShell id={id} label={label} hint={hint} hintId={hintId} errors={errors} errorId={errorId}>
      <input key={key ?? undefined} {...props} id={id} {...aria} />
    </FieldShell>
  )
}

type SelectFieldProps = {
  label: string
  errors?: string[] | null
  selectProps: React.SelectHTMLAttributes<HTMLSelectElement> & { key?: string | null }
  options: { value: string; label: string }[]
}

export function SelectField({ label, errors, selectProps, options }: SelectFieldProps) {
  const { key, ...props } = selectProps
  const { id, errorId, aria } = useDescribedControl(props.id, undefined, errors)
  return (
    <FieldShell id={id} label={label} errors={errors} errorId={errorId}>
      <select key={key ?? undefined} {...props} id={id} {...aria}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
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
  const { key, ...props } = textareaProps
  const { id, errorId, hintId, aria } = useDescribedControl(props.id, hint, errors)
  return (
    <FieldShell id={id} label={label} hint={hint} hintId={hintId} errors={errors} errorId={errorId}>
      <textarea key={key ?? undefined} {...props} id={id} {...aria} />
    </FieldShell>
  )
}
