import { parseWithZod } from '@conform-to/zod/v4'
import { Form, redirect } from 'react-router'
import { z } from 'zod'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { jobStates, readJobStatus, retryParkedJob } from '#app/server/job-status.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/jobs'
import { adminTitle } from './title.ts'

const LIMIT = 50

const RetrySchema = z.object({ jobId: z.uuid() })

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.jobs.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'jobs.view')
  const status = await readJobStatus(getDb(context), { limit: LIMIT })
  // From the server: the table renders in the browser, which cannot import the server module.
  return { ...status, states: [...jobStates], limit: LIMIT, retried: new URL(request.url).searchParams.get('retried') }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(RetrySchema)

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'jobs.view')
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: RetrySchema })
  if (submission.status !== 'success') throw failureResponse(context, fail(400, 'errors.bad_request'))
  const outcome = await retryParkedJob(getDb(context), { actor, jobId: submission.value.jobId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect(`/admin/jobs?retried=${encodeURIComponent(outcome.value.id)}`)
}

export default function AdminJobs({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { queues, parked, states } = loaderData
  const time = (value: Date | string | null) =>
    value ? <time dateTime={new Date(value).toISOString()}>{formatDateTime(value, locale, timeZone)}</time> : null
  return (
    <section className="stack" aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t('admin.jobs.title')}</h2>
      <p>{t('admin.jobs.lead')}</p>
      {loaderData.retried ? (
        <p className="notice" role="status">
          {t('admin.jobs.retried', { id: loaderData.retried })}
        </p>
      ) : null}
      {!loaderData.installed ? <p className="empty">{t('admin.jobs.not_installed')}</p> : null}

      {queues.length > 0 ? (
        <>
          <h3>{t('admin.jobs.queues_title')}</h3>
          <TableScroll label={t('admin.jobs.queues_title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.jobs.queue')}</th>
                  {states.map((state) => (
                    <th scope="col" key={state}>
                      {t(`admin.jobs.states.${state}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {queues.map((queue) => (
                  <tr key={queue.name}>
                    <th scope="row">
                      <code>{queue.name}</code>
                    </th>
                    {states.map((state) => (
                      <td key={state}>
                        {state === 'failed' && queue.counts.failed > 0 ? (
                          <span className="badge badge-danger">{queue.counts.failed}</span>
                        ) : (
                          queue.counts[state]
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      ) : null}

      {loaderData.installed ? (
        <>
          <h3>{t('admin.jobs.parked_title')}</h3>
          {parked.length === 0 ? (
            <p className="empty">{t('admin.jobs.parked_empty')}</p>
          ) : (
            <>
              <p className="muted">{t('admin.jobs.parked_lead')}</p>
              <TableScroll label={t('admin.jobs.parked_title')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.jobs.columns.queue')}</th>
                      <th scope="col">{t('admin.jobs.columns.error')}</th>
                      <th scope="col">{t('admin.jobs.columns.retries')}</th>
                      <th scope="col">{t('admin.jobs.columns.created')}</th>
                      <th scope="col">{t('admin.jobs.columns.started')}</th>
                      <th scope="col">{t('admin.jobs.columns.failed')}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t('admin.jobs.retry')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {parked.map((job) => (
                      <tr key={job.id}>
                        <th scope="row">
                          <code>{job.name}</code>
                          <div className="muted">
                            <code>{job.id}</code>
                          </div>
                        </th>
                        <td>{job.error ?? <span className="muted">{t('admin.jobs.no_error')}</span>}</td>
                        <td>{job.retryCount}</td>
                        <td>{time(job.createdOn)}</td>
                        <td>{time(job.startedOn)}</td>
                        <td>{time(job.completedOn)}</td>
                        <td>
                          <Form method="post" className="inline-actions">
                            <input type="hidden" name="jobId" value={job.id} />
                            <button type="submit" className="button button-small button-secondary">
                              {t('admin.jobs.retry')}
                              <span className="visually-hidden">{` – ${job.name} ${job.id}`}</span>
                            </button>
                          </Form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              {parked.length >= loaderData.limit ? (
                <p className="muted">{t('admin.jobs.latest', { count: loaderData.limit })}</p>
              ) : null}
            </>
          )}
        </>
      ) : null}
    </section>
  )
}
