import type { TFunction } from 'i18next'
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { useNavigation } from 'react-router'
import { useHydrated } from '#app/components/hydrated.ts'
import { useT } from '#app/components/translation.tsx'
import { ONE_TIME_KEY_FIELD } from '#app/lib/one-time-key.ts'
import { messageParts } from '#app/lib/schema-text.ts'

/** Client-side validation yields catalogue keys (with the values their text needs, see
 *  `messageWith`); server failures arrive already translated. */
export function translateError(t: TFunction, error: string, params: Record<string, string | number> = {}): string {
  const message = messageParts(error)
  return /^[a-z_]+(\.[a-z0-9_]+)+$/.test(message.key) ? t(message.key, { ...message.params, ...params }) : error
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

/** Textareas React is hydrating right now: their default value ignores every write until it commits. */
const hydrating = new WeakSet<HTMLTextAreaElement>()

/** Makes writes of a textarea's default value that would change nothing do nothing. React writes it on
 *  every update (and, hydrating, writes the value too), and each write puts back the text of an untouched
 *  box and its caret at the start: typing after Select All then went in front of the old text, and what
 *  a quick typist entered before the scripts ran was thrown away. */
function guardDefaultValue(element: HTMLTextAreaElement) {
  if (Object.hasOwn(element, 'defaultValue')) return
  const inherited = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'defaultValue')
  Object.defineProperty(element, 'defaultValue', {
    configurable: true,
    get: () => inherited?.get?.call(element),
    set: (value: string) => {
      if (hydrating.has(element) || inherited?.get?.call(element) === String(value)) return
      inherited?.set?.call(element, value)
    },
  })
}

/** Whether React is hydrating the server-rendered textarea `id` in this render (see above). */
function useTextareaHydrationGuard(id: string): boolean {
  const hydrated = useHydrated()
  const [guarded] = useState(() => {
    if (hydrated || typeof document === 'undefined') return false
    const element = document.getElementById(id)
    if (!(element instanceof HTMLTextAreaElement)) return false
    guardDefaultValue(element)
    hydrating.add(element)
    return true
  })
  useLayoutEffect(() => {
    const element = document.getElementById(id)
    if (guarded && element instanceof HTMLTextAreaElement) hydrating.delete(element)
  }, [guarded, id])
  return guarded && !hydrated
}

/** A textarea that keeps exactly what was typed into it before or while the page hydrated. React is
 *  given no default while it hydrates (the server already rendered it), and the real one after. */
export function Textarea(props: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string }) {
  const isHydrating = useTextareaHydrationGuard(props.id)
  return (
    <textarea
      {...props}
      ref={(element) => {
        if (element) guardDefaultValue(element)
      }}
      defaultValue={isHydrating ? undefined : props.defaultValue}
    />
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
      <Textarea key={key ?? undefined} {...props} id={id} {...aria} />
    </FieldShell>
  )
}

/** The one-time key of a create form (docs/decisions/027): the server issued it with the page, so a
 *  second copy of the same submission creates nothing. */
export function OneTimeKeyField({ value }: { value: string | null | undefined }) {
  return value ? <input type="hidden" name={ONE_TIME_KEY_FIELD} value={value} /> : null
}

/** Empties a create form that stays on its page once its submission went through (with JavaScript; without
 *  it the page is loaded anew anyway). Pass `markSent` as the form's `onSubmit` (after conform's), and
 *  whether the last answer was this form's failure; `onSuccess` resets the form (and closes it). */
export function useResetAfterSuccess({ failed, onSuccess }: { failed: boolean; onSuccess: () => void }) {
  const navigation = useNavigation()
  const sent = useRef(false)
  const latest = useRef(onSuccess)
  latest.current = onSuccess
  useEffect(() => {
    if (navigation.state !== 'idle' || !sent.current) return
    sent.current = false
    if (!failed) latest.current()
  }, [navigation.state, failed])
  return {
    markSent(event: React.FormEvent<HTMLFormElement>) {
      if (!event.defaultPrevented) sent.current = true
    },
  }
}
