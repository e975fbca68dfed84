import { useCallback, useEffect, useRef, useState } from 'react'
import { useBlocker, useNavigation } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import {
  DISCARD_DRAFT,
  type DraftReply,
  draftFieldsOf,
  draftForms,
  parseDraftKey,
  SAVE_DRAFT,
} from '#app/domain/drafts/forms.ts'
import { formatDateTime, intlLocale } from '#app/lib/format.ts'
import { ONE_TIME_KEY_FIELD } from '#app/lib/one-time-key.ts'

// A form's draft on the server (docs/decisions/040). Without JavaScript the form's "Save draft" and
// "Discard draft" buttons submit it to its own page. With JavaScript the same buttons, and typing,
// save through /drafts: a second or two after the last keystroke, when a field loses focus and when
// the page is hidden. Typing is any `input` or `change` event of the form, so text the toolbar or an
// upload puts in the textarea counts when it dispatches one. One save is in flight at a time (a later
// one waits for it), so an older text never lands after a newer one. Leaving the page while the last
// change is not saved asks first (`beforeunload`); following a link inside the app saves, then goes.

/** After the last keystroke, the pause before a save. */
const TYPING_PAUSE_MS = 1500
/** After a field loses focus: a short wait, so the click that blurred it (Publish) can cancel it. */
const BLUR_PAUSE_MS = 300
/** The name of the hidden button conform submits its own intents (validate, reset) with. */
const CONFORM_INTENT = '__intent__'

/** Whether a submit event sends the form: conform validates and resets by submitting with a hidden
 *  button of its own, which sends nothing. */
export function isConformIntent(event: SubmitEvent): boolean {
  return event.submitter?.getAttribute('name') === CONFORM_INTENT
}
/** sendBeacon and keepalive requests carry at most 64 KiB. */
const BEACON_MAX_BYTES = 60_000

type Status = 'idle' | 'saving' | 'saved' | 'empty' | 'error' | 'discarded' | 'incomplete'

/** The draft the page's loader found, as `loadDraft` returns it. */
type Saved = { savedAt: string } | null

export type DraftState = ReturnType<typeof useDraft>

/** What a form with a draft gets from its page: the draft's key, the draft the loader found and what
 *  the action answered to a draft button. */
export type DraftProps = { formKey: string; saved: Saved; reply: DraftReply | null }

/** The draft of the form `formId` under `formKey`: `saved` is the one the page loaded, `reply` what the
 *  page's action answered to a draft button (without JavaScript). A null `formKey` (a form that keeps
 *  no draft, such as an edit form sharing the component) does nothing. */
export function useDraft({
  formId,
  formKey,
  saved,
  reply,
}: {
  formId: string
  formKey: string | null
  saved: Saved
  reply?: DraftReply | null
}) {
  const { t } = useT()
  const kind = parseDraftKey(formKey)?.kind ?? null
  const fromReply = statusOf(reply)
  const [status, setStatus] = useState<Status>(fromReply?.status ?? 'idle')
  const [savedAt, setSavedAt] = useState<string | null>(fromReply?.savedAt ?? saved?.savedAt ?? null)
  const [error, setError] = useState<string | null>(reply && 'error' in reply ? reply.error : null)
  const [hasDraft, setHasDraft] = useState(fromReply ? !!fromReply.savedAt : !!saved)
  // The notice "Restored your draft" stands for a draft the page opened with, until it is discarded.
  const [restoredAt, setRestoredAt] = useState<string | null>(reply ? null : (saved?.savedAt ?? null))

  const lastSaved = useRef<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const inFlight = useRef<Promise<boolean> | null>(null)
  const submitting = useRef(false)
  const quiet = useRef(false)

  const formElement = useCallback(() => {
    const element = typeof document === 'undefined' ? null : document.getElementById(formId)
    return element instanceof HTMLFormElement ? element : null
  }, [formId])

  /** The form's draft fields as they stand, in one string (what was last saved is compared with it). */
  const snapshot = useCallback(() => {
    const form = formElement()
    if (!form || !kind) return ''
    const data = new FormData(form)
    const read = (name: string) => data.getAll(name).filter((value): value is string => typeof value === 'string')
    return JSON.stringify(draftFieldsOf(kind, read).fields)
  }, [formElement, kind])

  /** Whether the form holds something not yet saved. A form no longer on the page (its route is being
   *  left, its effects not yet cleaned up) holds nothing. */
  const changed = useCallback(
    () => lastSaved.current !== null && formElement() !== null && snapshot() !== lastSaved.current,
    [formElement, snapshot],
  )

  /** The request body of a save: the form's draft fields, its one-time key, the draft's key. */
  const bodyOf = useCallback(() => {
    const body = new URLSearchParams({ formKey: formKey ?? '', intent: 'save' })
    const form = formElement()
    if (!form || !kind) return body
    const names = new Set([...Object.keys(draftForms[kind].fields), ONE_TIME_KEY_FIELD])
    for (const [name, value] of new FormData(form))
      if (typeof value === 'string' && names.has(name)) body.append(name, value)
    return body
  }, [formElement, formKey, kind])

  /** Saves what the form holds now. `force` (the "Save draft" button) saves even an unchanged form
   *  and says "Saving draft…" meanwhile; an autosave changes the status line only once it is done, so
   *  the line (a polite live region) speaks when the minute of "Draft saved at" changes, not at every
   *  pause in typing. `keepalive` lets the request outlive the page. */
  const save = useCallback(
    async (force = false, keepalive = false): Promise<boolean> => {
      clearTimeout(timer.current)
      if (inFlight.current) {
        await inFlight.current
        return save(force, keepalive)
      }
      // A form no longer on the page has nothing to save (an empty save would delete the draft).
      if (!formElement()) return true
      const sent = snapshot()
      if (!force && sent === lastSaved.current) return true
      if (force) setStatus('saving')
      const body = bodyOf()
      const request = (async () => {
        try {
          const response = await fetch('/drafts', {
            method: 'POST',
            body,
            headers: { Accept: 'application/json' },
            keepalive: keepalive && body.toString().length <= BEACON_MAX_BYTES,
          })
          const answer = (await response.json().catch(() => ({}))) as {
            savedAt?: string | null
            published?: boolean
            error?: string
          }
          if (!response.ok) throw new Error(answer.error ?? '')
          // Sent with a one-time key a post of this page used meanwhile: not saved, tried again with
          // the page's next key at the next change.
          if (answer.published) return false
          lastSaved.current = sent
          setSavedAt(answer.savedAt ?? null)
          setHasDraft(!!answer.savedAt)
          if (!answer.savedAt) setRestoredAt(null)
          setError(null)
          setStatus(answer.savedAt ? 'saved' : force ? 'empty' : 'idle')
          return true
        } catch (failure) {
          setError(failure instanceof Error && failure.message ? failure.message : t('drafts.errors.offline'))
          setStatus('error')
          return false
        } finally {
          inFlight.current = null
        }
      })()
      inFlight.current = request
      return request
    },
    [formElement, snapshot, bodyOf, t],
  )

  const schedule = useCallback(
    (delay: number) => {
      clearTimeout(timer.current)
      timer.current = setTimeout(() => void save(), delay)
    },
    [save],
  )

  /** A last save as the page goes away: a beacon, which outlives the page. */
  const flush = useCallback(() => {
    clearTimeout(timer.current)
    if (!formElement()) return
    const body = bodyOf()
    if (body.toString().length <= BEACON_MAX_BYTES && navigator.sendBeacon?.('/drafts', body)) return
    void save(false, true)
  }, [formElement, bodyOf, save])

  // The listeners below are added once per form; they call the latest of these.
  const latest = useRef({ snapshot, schedule, changed, flush, save })
  latest.current = { snapshot, schedule, changed, flush, save }

  // What the page was sent with (the draft it restored, or an empty form) counts as saved: an untouched
  // form is never saved, and text typed before the scripts ran is saved like any other.
  useEffect(() => {
    const form = formElement()
    if (!form || !kind) return
    const { snapshot, schedule, changed, flush } = {
      snapshot: () => latest.current.snapshot(),
      schedule: (delay: number) => latest.current.schedule(delay),
      changed: () => latest.current.changed(),
      flush: () => latest.current.flush(),
    }
    lastSaved.current = JSON.stringify(draftFieldsOf(kind, defaultsOf(form)).fields)
    if (changed()) schedule(TYPING_PAUSE_MS)
    const onEdit = () => {
      if (quiet.current) return
      submitting.current = false
      schedule(TYPING_PAUSE_MS)
    }
    const onBlur = () => {
      if (changed()) schedule(BLUR_PAUSE_MS)
    }
    const rebase = () =>
      setTimeout(() => {
        lastSaved.current = snapshot()
      })
    const onSubmit = (event: SubmitEvent) => {
      // conform validates and resets by submitting with a hidden button of its own: that sends nothing.
      // A reset (the form emptied once its post went through) is where the form stands now.
      if (isConformIntent(event)) {
        if ((event.submitter?.getAttribute('value') ?? '').includes('"reset"')) rebase()
        return
      }
      // The form is being sent (published, previewed): no save now, and no warning as it goes.
      clearTimeout(timer.current)
      submitting.current = true
    }
    const onReset = () => {
      clearTimeout(timer.current)
      rebase()
    }
    const onHide = () => {
      // The tab is hidden (another app, a closed laptop, maybe for good): save now.
      if (document.visibilityState === 'hidden' && !submitting.current && changed())
        void latest.current.save(false, true)
    }
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (submitting.current || !changed()) return
      flush()
      event.preventDefault()
      event.returnValue = ''
    }
    form.addEventListener('input', onEdit)
    form.addEventListener('change', onEdit)
    form.addEventListener('focusout', onBlur)
    form.addEventListener('submit', onSubmit)
    form.addEventListener('reset', onReset)
    document.addEventListener('visibilitychange', onHide)
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => {
      clearTimeout(timer.current)
      form.removeEventListener('input', onEdit)
      form.removeEventListener('change', onEdit)
      form.removeEventListener('focusout', onBlur)
      form.removeEventListener('submit', onSubmit)
      form.removeEventListener('reset', onReset)
      document.removeEventListener('visibilitychange', onHide)
      window.removeEventListener('beforeunload', onBeforeUnload)
    }
  }, [formElement, kind])

  // A send that came back to this page (a preview, a refusal): the text it carried is still unsaved.
  const navigation = useNavigation()
  useEffect(() => {
    if (navigation.state !== 'idle' || !submitting.current) return
    submitting.current = false
    if (changed()) schedule(TYPING_PAUSE_MS)
  }, [navigation.state, changed, schedule])

  // The page's loader found another draft (published: none; saved elsewhere: a newer one).
  const loadedAt = saved?.savedAt ?? null
  const firstLoad = useRef(true)
  useEffect(() => {
    if (firstLoad.current) {
      firstLoad.current = false
      return
    }
    setHasDraft(!!loadedAt)
    setSavedAt(loadedAt)
    setRestoredAt(null)
    setStatus('idle')
  }, [loadedAt])

  // Following a link inside the app with the last change unsaved: save it first, then go (or ask, if
  // it cannot be saved). Sending the form itself is never held up.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      !submitting.current &&
      currentLocation.pathname + currentLocation.search !== nextLocation.pathname + nextLocation.search &&
      changed(),
  )
  const leaving = useRef(false)
  useEffect(() => {
    if (blocker.state !== 'blocked' || leaving.current) return
    leaving.current = true
    void save().then((ok) => {
      leaving.current = false
      if (ok || window.confirm(t('drafts.leave_confirm'))) blocker.proceed()
      else blocker.reset()
    })
  }, [blocker, save, t])

  /** Deletes the draft and empties what the member wrote (choices and dates keep their values). */
  const discard = useCallback(async () => {
    clearTimeout(timer.current)
    if (inFlight.current) await inFlight.current
    try {
      const body = new URLSearchParams({ formKey: formKey ?? '', intent: 'discard' })
      const response = await fetch('/drafts', { method: 'POST', body, headers: { Accept: 'application/json' } })
      const answer = (await response.json().catch(() => ({}))) as { error?: string }
      if (!response.ok) throw new Error(answer.error ?? '')
    } catch (failure) {
      setError(failure instanceof Error && failure.message ? failure.message : t('drafts.errors.offline'))
      setStatus('error')
      return
    }
    const form = formElement()
    if (form && kind) {
      quiet.current = true
      for (const name of draftForms[kind].content) {
        const field = form.elements.namedItem(name)
        if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
          field.value = ''
          field.dispatchEvent(new Event('input', { bubbles: true }))
        }
      }
      quiet.current = false
      lastSaved.current = snapshot()
    }
    setHasDraft(false)
    setRestoredAt(null)
    setSavedAt(null)
    setError(null)
    setStatus('discarded')
  }, [formElement, formKey, kind, snapshot, t])

  return { formKey, status, savedAt, error, hasDraft, restoredAt, save, discard }
}

/** A form's fields as the page was sent with them (each control's default, not what is in it now). */
function defaultsOf(form: HTMLFormElement) {
  const values = new Map<string, string[]>()
  const add = (name: string, value: string) => values.set(name, [...(values.get(name) ?? []), value])
  for (const element of form.elements) {
    if (element instanceof HTMLTextAreaElement && element.name) add(element.name, element.defaultValue)
    else if (element instanceof HTMLSelectElement && element.name) {
      const chosen = [...element.options].filter((option) => option.defaultSelected)
      if (!chosen.length && !element.multiple && element.options[0]) chosen.push(element.options[0])
      for (const option of chosen) add(element.name, option.value)
    } else if (element instanceof HTMLInputElement && element.name) {
      if (element.type === 'checkbox' || element.type === 'radio') {
        if (element.defaultChecked) add(element.name, element.value)
      } else if (!['submit', 'button', 'file', 'image', 'reset'].includes(element.type))
        add(element.name, element.defaultValue)
    }
  }
  return (name: string) => values.get(name) ?? []
}

/** The draft part of a page's action data (see `draftIntent`), if it has one. */
export function draftReplyOf(actionData: unknown): DraftReply | null {
  return actionData && typeof actionData === 'object' && 'draft' in actionData
    ? ((actionData as { draft: DraftReply | null }).draft ?? null)
    : null
}

function statusOf(reply: DraftReply | null | undefined): { status: Status; savedAt: string | null } | null {
  if (!reply) return null
  if ('error' in reply) return { status: 'error', savedAt: null }
  if ('discarded' in reply) return { status: 'discarded', savedAt: null }
  if (!reply.savedAt) return { status: 'empty', savedAt: null }
  return { status: reply.incomplete ? 'incomplete' : 'saved', savedAt: reply.savedAt }
}

/** "Restored your draft from …" with a Discard button, above a form that opened with a draft. */
export function DraftNotice({ draft }: { draft: DraftState }) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  if (!draft.formKey || !draft.restoredAt) return null
  return (
    <div className="draft-notice notice" role="status">
      <span>{t('drafts.restored', { time: formatDateTime(draft.restoredAt, locale, timeZone) })}</span>{' '}
      <DiscardButton draft={draft} />
    </div>
  )
}

/** The draft's status line and its buttons, beside the form's own: "Save draft" (unless the form has a
 *  button of that name already) and, while there is a draft, "Discard draft". */
export function DraftControls({ draft, saveButton = true }: { draft: DraftState; saveButton?: boolean }) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  if (!draft.formKey) return null
  const time = draft.savedAt
    ? new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'short', timeZone }).format(new Date(draft.savedAt))
    : ''
  const text: Record<Status, string> = {
    idle: draft.savedAt && !draft.restoredAt ? t('drafts.saved_at', { time }) : '',
    saving: t('drafts.saving'),
    saved: t('drafts.saved_at', { time }),
    incomplete: t('drafts.kept_invalid', { time }),
    empty: t('drafts.nothing_to_save'),
    error: t('drafts.save_failed', { reason: draft.error ?? '' }),
    discarded: t('drafts.discarded'),
  }
  return (
    <div className="draft-controls">
      <p className={`draft-status${draft.status === 'error' ? ' draft-status-error' : ''}`} aria-live="polite">
        {text[draft.status]}
      </p>
      {saveButton || (draft.hasDraft && !draft.restoredAt) ? (
        <div className="inline-actions">
          {saveButton ? (
            <button
              type="submit"
              name="intent"
              value={SAVE_DRAFT}
              formNoValidate
              className="button button-small button-secondary"
              onClick={(event) => {
                event.preventDefault()
                void draft.save(true)
              }}
            >
              {t('drafts.save')}
            </button>
          ) : null}
          {draft.hasDraft && !draft.restoredAt ? <DiscardButton draft={draft} /> : null}
        </div>
      ) : null}
    </div>
  )
}

function DiscardButton({ draft }: { draft: DraftState }) {
  const { t } = useT()
  return (
    <button
      type="submit"
      name="intent"
      value={DISCARD_DRAFT}
      formNoValidate
      className="button button-small button-secondary"
      onClick={(event) => {
        event.preventDefault()
        void draft.discard()
      }}
    >
      {t('drafts.discard')}
    </button>
  )
}
