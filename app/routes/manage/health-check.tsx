import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from 'react-router'
import {
  FittedWeights,
  TrackRecordFigures,
  TrackRecordTables,
  WhatIfForm,
} from '#app/components/manage/health-check.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { createFormatters } from '#app/domain/reporting/formatters.ts'
import { applyHealthWeights, getHealthCheck } from '#app/domain/reporting/track-record.server.ts'
import { trackRecordDefaults } from '#app/domain/reporting/track-record.ts'
import { WeightSetSchema, WHAT_IF_FIELD, weightFields } from '#app/domain/reporting/track-record-form.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/health-check'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'health_check.title')

/** `/manage/health-check` (staff read, `manage.dashboard`): the health track record. `?whatIf=1&…`
 *  is the "what if" form (one number per measure); `?confirm=fitted` the confirmation step before a
 *  manager applies the fitted weights; `?applied=N` what applying changed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const params = new URL(request.url).searchParams
  let whatIfWeights = null
  let whatIfResult: SubmissionResult<string[]> | undefined
  if (params.has(WHAT_IF_FIELD)) {
    const submission = parseWithZod(params, { schema: WeightSetSchema })
    if (submission.status === 'success') whatIfWeights = submission.value
    else whatIfResult = submission.reply()
  }
  const outcome = await getHealthCheck(getDb(context), { actor, whatIfWeights })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const applied = params.get('applied')
  const changes = Number(applied)
  return data(
    {
      ...outcome.value,
      whatIfResult,
      confirming: params.get('confirm') === 'fitted' && outcome.value.canApply,
      applied: applied !== null && Number.isSafeInteger(changes) && changes >= 0 ? changes : null,
    },
    { status: whatIfResult ? 400 : 200 },
  )
}

/** A manager applies the fitted weights shown on the confirmation step, through the scoring settings
 *  writer (validated, audited, today's scores re-judged). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'manage.settings')
  const formData = await readForm({ request, context }, { fields: weightFields })
  const submission = parseWithZod(formData, { schema: WeightSetSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await applyHealthWeights(getDb(context), { actor, weights: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/manage/health-check?applied=${outcome.value.changes.length}#fitted`)
}

export default function HealthCheck({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const f = createFormatters(t, locale, timeZone)
  const { record, events, todayWeights, spacingDays, firstDay, lastDay, canApply, confirming, applied } = loaderData
  const postResult =
    actionData && 'result' in actionData ? (actionData.result as SubmissionResult<string[]>) : undefined
  return (
    <div className="stack manage-dashboard">
      <h1>{t('health_check.title')}</h1>
      <p className="lead">{t('health_check.lead', { spacing: spacingDays, horizon: record.horizonDays })}</p>
      {applied !== null ? (
        <p className="notice" role="status">
          {applied === 0 ? t('health_check.fitted.unchanged') : t('health_check.fitted.applied', { count: applied })}
        </p>
      ) : null}
      <p>
        {firstDay && lastDay
          ? t('health_check.history', {
              first: f.day(firstDay),
              last: f.day(lastDay),
              horizon: record.horizonDays,
              pending: f.int(record.pending),
            })
          : t('health_check.no_history')}
      </p>
      <TrackRecordFigures record={record} f={f} bootstrapRounds={trackRecordDefaults.bootstrapRounds} />
      <TrackRecordTables record={record} events={events} f={f} />
      <WhatIfForm todayWeights={todayWeights} lastResult={loaderData.whatIfResult} whatIf={record.whatIf} f={f} />
      {record.enough ? (
        <FittedWeights
          fitted={record.fitted}
          todayWeights={todayWeights}
          horizon={record.horizonDays}
          canApply={canApply}
          confirming={confirming}
          lastResult={postResult}
          f={f}
        />
      ) : null}
    </div>
  )
}
