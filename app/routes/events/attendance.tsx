import { useId } from 'react'
import { data, Form, Link } from 'react-router'
import { Field, FormErrors, translateError } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  type AttendanceImportReport,
  importAttendanceCsv,
  listAttendance,
  markAttendance,
} from '#app/domain/events/attendance.server.ts'
import { AttendanceMarksSchema, attendanceMarksFrom } from '#app/domain/events/schemas.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/attendance'

/** An attendee report is a few thousand lines at most; anything larger is refused before it is read. */
const MAX_BYTES = 2 * 1024 * 1024

type Message = { code: string; params?: Record<string, string | number> }
type Saved = { attended: number; noShow: number; unchanged: number; skipped: number }

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events_followup.attendance.title')

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const outcome = await listAttendance(getDb(context), { actor, eventId: intParam(params.eventId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return outcome.value
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = ['intent', 'csv', 'file', ...fieldsOf(AttendanceMarksSchema)]
/** Two fields per registrant, up to the most the schema takes, and the form's own few. */
const MAX_FIELDS = 2 * 10_000 + 10

/** What each form's handler gets: the organizer and the event. */
type AttendanceIntent = IntentArgs<{ actor: SessionUser; eventId: number }>

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const eventId = intParam(params.eventId)
  const db = getDb(context)
  // The form's own overhead is small; a body far over the limit is not worth reading.
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BYTES * 2 + 64 * 1024) {
    return reply(413, { error: { code: 'events_followup.import.too_large' }, errorFor: 'import' })
  }
  const formData = await readForm({ request, context }, { fields: FIELDS, upload: true, maxFields: MAX_FIELDS })
  return dispatchIntent({ context, db, actor, eventId, formData }, { import: handleImport }, handleMarks)
}

/** Every answer of the action has the same keys, whichever form sent it. */
function reply(
  status: number,
  values: {
    saved?: Saved
    report?: AttendanceImportReport
    error?: Message
    errorFor?: 'mark' | 'import'
    text?: string
  },
) {
  return data(
    {
      saved: values.saved ?? null,
      report: values.report ?? null,
      error: values.error ?? null,
      errorFor: values.errorFor ?? null,
      text: values.text ?? '',
    },
    { status },
  )
}

/** An attendee report, pasted or uploaded; what was pasted comes back with the answer. */
async function handleImport({ db, actor, eventId, formData }: AttendanceIntent) {
  const pasted = formData.get('csv')
  const text = typeof pasted === 'string' ? pasted : ''
  const file = formData.get('file')
  let csv = text
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_BYTES) {
      return reply(413, { error: { code: 'events_followup.import.too_large' }, errorFor: 'import', text })
    }
    csv = decodeCsv(new Uint8Array(await file.arrayBuffer()))
  }
  if (csv.length > MAX_BYTES) {
    return reply(413, { error: { code: 'events_followup.import.too_large' }, errorFor: 'import', text })
  }
  if (!csv.trim()) return reply(400, { error: { code: 'events_followup.import.nothing' }, errorFor: 'import', text })
  const outcome = await importAttendanceCsv(db, { actor, eventId, text: csv })
  if (!outcome.ok) {
    return reply(outcome.status, { error: { code: outcome.code, params: outcome.params }, errorFor: 'import', text })
  }
  return reply(200, { report: outcome.value, text })
}

/** The marks form (`mark`, and any other intent): attended or no-show, one radio per registrant. */
async function handleMarks({ context, db, actor, eventId, formData }: AttendanceIntent) {
  const submission = AttendanceMarksSchema.safeParse(attendanceMarksFrom(formData))
  if (!submission.success) throw failureResponse(context, fail(400, 'errors.bad_request'))
  const marks = submission.data.marks.flatMap((mark) =>
    mark.status ? [{ userId: mark.userId, attended: mark.status === 'attended' }] : [],
  )
  const outcome = await markAttendance(db, { actor, eventId, marks })
  if (!outcome.ok)
    return reply(outcome.status, { error: { code: outcome.code, params: outcome.params }, errorFor: 'mark' })
  return reply(200, { saved: outcome.value })
}

/** A byte-order mark names UTF-16 (Microsoft Teams writes its attendance list so); otherwise UTF-8 when
 *  the bytes are valid UTF-8, else Shift_JIS, which Excel still writes for Japanese CSV. */
function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('shift_jis').decode(bytes)
  }
}

export default function EventAttendance({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const textId = useId()
  const { event, open, registrants } = loaderData
  const translate = (message: Message) => translateError(t, message.code, message.params)
  const count = (status: string) => registrants.filter((r) => r.status === status).length
  const startsAt = formatDateTime(event.startsAt, locale, timeZone)
  const saved = actionData?.saved ?? null
  const report = actionData?.report ?? null
  const markError = actionData?.errorFor === 'mark' && actionData.error ? [translate(actionData.error)] : null
  const importError = actionData?.errorFor === 'import' && actionData.error ? [translate(actionData.error)] : null

  return (
    <div className="stack">
      <p>
        <Link to={`/events/${event.id}`}>{t('events_followup.back_to_event')}</Link>
      </p>
      <div className="page-heading">
        <h1>{t('events_followup.attendance.heading', { title: event.title })}</h1>
        <Link to={`/events/${event.id}/results`}>{t('events_followup.attendance.to_results')}</Link>
      </div>
      <p className="muted">
        <time dateTime={new Date(event.startsAt).toISOString()}>
          {t('events_followup.attendance.starts', { time: startsAt })}
        </time>
      </p>

      {event.status === 'cancelled' ? (
        <p className="banner banner-warning">{t('events_followup.attendance.cancelled')}</p>
      ) : open ? (
        <p className="lead">{t('events_followup.attendance.lead')}</p>
      ) : (
        <p className="banner">{t('events_followup.attendance.not_started', { time: startsAt })}</p>
      )}

      {saved ? (
        <div className="notice" role="status">
          <p>
            {saved.attended + saved.noShow > 0
              ? t('events_followup.attendance.saved', { attended: saved.attended, noShow: saved.noShow })
              : t('events_followup.attendance.unchanged')}
          </p>
          {saved.skipped > 0 ? <p>{t('events_followup.attendance.skipped', { count: saved.skipped })}</p> : null}
        </div>
      ) : null}

      <section className="stack" aria-labelledby="attendance-list-title">
        <h2 id="attendance-list-title">{t('events_followup.attendance.caption', { count: registrants.length })}</h2>
        {registrants.length === 0 ? (
          <p className="empty">{t('events_followup.attendance.empty')}</p>
        ) : (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="mark" />
            <FormErrors errors={markError} />
            <p>
              {t('events_followup.attendance.summary', {
                attended: count('attended'),
                noShow: count('no_show'),
                unmarked: count('registered'),
              })}
            </p>
            <TableScroll label={t('events_followup.attendance.caption', { count: registrants.length })}>
              <table className="attendance-table">
                <thead>
                  <tr>
                    <th scope="col">{t('events_followup.attendance.member')}</th>
                    <th scope="col">{t('events_followup.attendance.account')}</th>
                    <th scope="col">{t('events_followup.attendance.status')}</th>
                    {open ? <th scope="col">{t('events_followup.attendance.mark')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {registrants.map((registrant, index) => {
                    const nameId = `attendee-${registrant.userId}`
                    const field = `marks[${index}]`
                    const forMember = t('events_followup.attendance.for_member', { name: registrant.displayName })
                    return (
                      // Keyed by status too, so a saved or imported change resets the radio buttons.
                      <tr key={`${registrant.userId}:${registrant.status}`}>
                        <th scope="row">
                          <span id={nameId}>{registrant.displayName}</span>
                          <br />
                          <span className="muted">{registrant.email}</span>
                        </th>
                        <td>{registrant.accountName ?? ''}</td>
                        <td>
                          <span className={`badge attendance-status-${registrant.status}`}>
                            {t(`events_followup.attendance.statuses.${registrant.status}`)}
                          </span>
                        </td>
                        {open ? (
                          <td>
                            <input type="hidden" name={`${field}.userId`} value={registrant.userId} />
                            <div role="radiogroup" aria-labelledby={nameId} className="attendance-choices">
                              <label>
                                <input
                                  type="radio"
                                  name={`${field}.status`}
                                  value="attended"
                                  defaultChecked={registrant.status === 'attended'}
                                />{' '}
                                {t('events_followup.attendance.attended')}
                                <span className="visually-hidden">{forMember}</span>
                              </label>
                              <label>
                                <input
                                  type="radio"
                                  name={`${field}.status`}
                                  value="no_show"
                                  defaultChecked={registrant.status === 'no_show'}
                                />{' '}
                                {t('events_followup.attendance.no_show')}
                                <span className="visually-hidden">{forMember}</span>
                              </label>
                            </div>
                          </td>
                        ) : null}
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </TableScroll>
            {open ? (
              <>
                <p className="field-hint">{t('events_followup.attendance.unmarked_hint')}</p>
                <p>
                  <button type="submit" className="button">
                    {t('events_followup.attendance.save')}
                  </button>
                </p>
              </>
            ) : null}
          </Form>
        )}
      </section>

      {open ? (
        <section className="stack" aria-labelledby="attendance-import-title">
          <h2 id="attendance-import-title">{t('events_followup.import.title')}</h2>
          <p>{t('events_followup.import.lead')}</p>

          {report ? (
            <section className="panel stack" aria-labelledby="attendance-report-title">
              <h3 id="attendance-report-title">{t('events_followup.import.report_title')}</h3>
              <p role="status">
                {t('events_followup.import.summary', {
                  matched: report.matched,
                  alreadyMarked: report.alreadyMarked,
                  unmatched: report.unmatched.length,
                })}
              </p>
              {report.absent > 0 ? <p>{t('events_followup.import.absent', { count: report.absent })}</p> : null}
              {report.unmatched.length === 0 ? (
                <p>{t('events_followup.import.all_matched')}</p>
              ) : (
                <TableScroll label={t('events_followup.import.report_title')}>
                  <table>
                    <caption>{t('events_followup.import.unmatched_caption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('events_followup.import.line')}</th>
                        <th scope="col">{t('events_followup.import.value')}</th>
                        <th scope="col">{t('events_followup.import.reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.unmatched.map((row) => (
                        <tr key={`${row.line}:${row.value}`}>
                          <td>{row.line}</td>
                          <td className="attendance-import-value">{row.value}</td>
                          <td>{t(`events_followup.import.reasons.${row.reason}`)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </section>
          ) : null}

          <Form method="post" encType="multipart/form-data" className="panel stack">
            <input type="hidden" name="intent" value="import" />
            <FormErrors errors={importError} />
            <Field
              label={t('events_followup.import.file')}
              hint={t('events_followup.import.file_hint')}
              inputProps={{ type: 'file', name: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain' }}
            />
            <div className="field">
              <label htmlFor={textId}>{t('events_followup.import.text')}</label>
              <textarea id={textId} name="csv" rows={6} spellCheck={false} defaultValue={actionData?.text ?? ''} />
            </div>
            <p>
              <button type="submit" className="button">
                {t('events_followup.import.submit')}
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </div>
  )
}
