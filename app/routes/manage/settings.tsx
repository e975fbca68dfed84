import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { ScoringSettingsEditor } from '#app/components/scoring/settings-form.tsx'
import { useT } from '#app/components/translation.tsx'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import {
  formFromSettings,
  MAX_HOLIDAY_PERIODS,
  MAX_RATES,
  ScoringSettingsFormSchema,
  SPARE_PERIOD_ROWS,
  SPARE_RATE_ROWS,
  settingsFromForm,
} from '#app/domain/scoring/settings-form.ts'
import { updateScoringSettings } from '#app/domain/scoring/update-settings.server.ts'
import { CostSettingsSchema, costAmountText, saveCostPerTicket } from '#app/domain/support/helpdesk-settings.server.ts'
import { readCostPerTicket } from '#app/domain/support/settings.server.ts'
import { formatMoney } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/settings'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'manage.settings.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  // Staff read the settings the scores are computed with; managers change them.
  const actor = requireCapability(context, request, 'manage.dashboard')
  const db = getDb(context)
  const [settings, cost] = await Promise.all([readScoringSettings(db), readCostPerTicket(db)])
  const params = new URL(request.url).searchParams
  const count = (name: string) => {
    const value = Number(params.get(name))
    return Number.isSafeInteger(value) && value >= 0 ? value : 0
  }
  const done = params.get('done')
  return {
    canEdit: can(actor, 'manage.settings'),
    form: formFromSettings(settings),
    cost: { ...cost, amount: costAmountText(cost) },
    done:
      done === 'saved'
        ? { kind: 'saved' as const, changes: count('changes'), moved: count('moved') }
        : done === 'unchanged' || done === 'cost'
          ? { kind: done }
          : null,
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(ScoringSettingsFormSchema, CostSettingsSchema), 'intent']
/** The most fields the scoring form sends: every setting, and each row of the longest lists it shows
 *  (currency rates: 2 fields a row; holiday periods: 3), blank spare rows included. */
const MAX_FIELDS = FIELDS.length + (MAX_RATES + SPARE_RATE_ROWS) * 2 + (MAX_HOLIDAY_PERIODS + SPARE_PERIOD_ROWS) * 3

/** What each form's handler gets: the manager changing the settings. */
type SettingsIntent = IntentArgs<{ actor: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'manage.settings')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS, maxFields: MAX_FIELDS })
  return dispatchIntent({ context, db, actor, formData }, { scoring: handleScoring, cost: handleCost }, unknownIntent)
}

/** The scoring weights; the redirect says how many changed and how many accounts' tiers moved. */
async function handleScoring({ context, db, actor, formData }: SettingsIntent) {
  const submission = parseWithZod(formData, { schema: ScoringSettingsFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await updateScoringSettings(db, { actor, settings: settingsFromForm(submission.value) })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  const { changes, recomputed } = outcome.value
  if (changes.length === 0) return redirect('/manage/settings?done=unchanged')
  return redirect(`/manage/settings?done=saved&changes=${changes.length}&moved=${recomputed?.changes.length ?? 0}`)
}

async function handleCost({ context, db, actor, formData }: SettingsIntent) {
  const submission = parseWithZod(formData, { schema: CostSettingsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await saveCostPerTicket(db, { actor, cost: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect('/manage/settings?done=cost#cost-title')
}

type Result = SubmissionResult<string[]>

/** The action's form result, if it came from the form that sent this intent. */
function resultFor(actionData: { result?: Result } | undefined, intent: string): Result | undefined {
  const result = actionData?.result
  return result?.initialValue?.intent === intent ? result : undefined
}

export default function ManageSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { canEdit, form, cost, done } = loaderData
  return (
    <div className="stack">
      <h1>{t('manage.settings.title')}</h1>
      <p className="lead">{t('manage.settings.lead')}</p>
      {done ? (
        <p className="notice" role="status">
          {done.kind === 'saved'
            ? t('manage.settings.done.saved', { count: done.changes, moved: done.moved })
            : t(`manage.settings.done.${done.kind}`)}
        </p>
      ) : null}
      <ScoringSettingsEditor
        key={JSON.stringify(form)}
        defaultValue={form}
        lastResult={resultFor(actionData, 'scoring')}
        readOnly={!canEdit}
      />
      <CostForm
        key={`${cost.amountMinor}|${cost.currency}`}
        cost={cost}
        lastResult={resultFor(actionData, 'cost')}
        readOnly={!canEdit}
      />
    </div>
  )
}

/** The cost of one ticket, which turns deflections into money saved. */
function CostForm({
  cost,
  lastResult,
  readOnly,
}: {
  cost: { amountMinor: number; currency: string; amount: string }
  lastResult: Result | undefined
  readOnly: boolean
}) {
  const { t } = useT()
  const { locale } = useViewer()
  const [form, fields] = useForm({
    id: 'cost',
    lastResult,
    // Checked on the server only: its schema converts to minor units with the server's currency table.
    defaultValue: { amount: cost.amount, currency: cost.currency },
  })
  return (
    <section className="panel stack" aria-labelledby="cost-title">
      <h2 id="cost-title">{t('manage.settings.cost.title')}</h2>
      <p>
        {t('manage.settings.cost.current', {
          amount: formatMoney(cost.amountMinor, cost.currency, locale),
        })}
      </p>
      <Form method="post" {...getFormProps(form)} className="stack cost-form">
        <input type="hidden" name="intent" value="cost" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="form-row" disabled={readOnly}>
          <legend className="visually-hidden">{t('manage.settings.cost.title')}</legend>
          <Field
            label={t('manage.settings.cost.amount')}
            hint={t('manage.settings.cost.amount_hint')}
            errors={fields.amount.errors}
            inputProps={{ ...getInputProps(fields.amount, { type: 'text' }), inputMode: 'decimal' }}
          />
          <Field
            label={t('manage.settings.cost.currency')}
            hint={t('manage.settings.cost.currency_hint')}
            errors={fields.currency.errors}
            inputProps={{
              ...getInputProps(fields.currency, { type: 'text' }),
              maxLength: 3,
              autoCapitalize: 'characters',
              className: 'input-currency',
            }}
          />
        </fieldset>
        {readOnly ? null : (
          <p>
            <button type="submit" className="button">
              {t('manage.settings.cost.save')}
            </button>
          </p>
        )}
      </Form>
    </section>
  )
}
