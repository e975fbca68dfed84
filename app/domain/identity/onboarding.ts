/** A new member's first steps and welcome email: the stored settings staff edit at /manage/onboarding,
 *  their form, and the email's text. A plain module (the settings page builds its form and preview from
 *  it). Messages are catalogue keys. docs/decisions/039-welcome-and-first-steps.md. */
import { z } from 'zod'
import type { Locale } from '#app/lib/i18n.ts'
import { nulFree } from '#app/lib/schema-text.ts'

export const ONBOARDING_SETTING_KEY = 'identity.onboarding'

/** The four first steps, each ticked by the ledger (`app/domain/identity/onboarding.server.ts`). */
export const firstStepKinds = ['profile', 'article', 'question', 'webinar'] as const
export type FirstStepKind = (typeof firstStepKinds)[number]

/** The placeholders the welcome email's subject and body may use. */
export const welcomePlaceholders = ['name', 'community', 'steps', 'link'] as const

export const STEP_TITLE_MAX = 120
export const STEP_DESCRIPTION_MAX = 300
export const EMAIL_SUBJECT_MAX = 150
export const EMAIL_BODY_MAX = 5000
/** How many steps the welcome email names. */
export const WELCOME_EMAIL_STEPS = 3

const Localized = z.object({ en: z.string(), ja: z.string() })
export type Localized = z.infer<typeof Localized>

const StepSchema = z.object({
  kind: z.enum(firstStepKinds),
  enabled: z.boolean(),
  title: Localized,
  description: Localized,
})
export type FirstStepSetting = z.infer<typeof StepSchema>

/** What is stored under `identity.onboarding`: the steps in their order, the getting-started article
 *  (an article id; its translation in the member's language is the one linked), and the email. */
export const OnboardingSettingsSchema = z.object({
  steps: z
    .array(StepSchema)
    .length(firstStepKinds.length)
    .refine((steps) => new Set(steps.map((step) => step.kind)).size === steps.length),
  articleId: z.number().int().positive().nullable(),
  email: z.object({ subject: Localized, body: Localized }),
})
export type OnboardingSettings = z.infer<typeof OnboardingSettingsSchema>

export const defaultOnboardingSettings: OnboardingSettings = {
  steps: [
    {
      kind: 'profile',
      enabled: true,
      title: { en: 'Complete your profile', ja: 'プロフィールを登録する' },
      description: {
        en: 'Your name, language and time zone, so answers and event times read right.',
        ja: '名前、言語、タイムゾーンを設定すると、回答やイベントの時刻が正しく表示されます。',
      },
    },
    {
      kind: 'article',
      enabled: true,
      title: { en: 'Read the getting-started article', ja: 'はじめにお読みください' },
      description: {
        en: 'The basics of the product in five minutes.',
        ja: '製品の基本を 5 分で確認できます。',
      },
    },
    {
      kind: 'question',
      enabled: true,
      title: { en: 'Ask your first question', ja: '最初の質問をする' },
      description: {
        en: 'Or answer someone else’s: the community learns from both.',
        ja: 'ほかの方の質問に回答しても完了です。',
      },
    },
    {
      kind: 'webinar',
      enabled: true,
      title: { en: 'Register for an onboarding webinar', ja: 'オンボーディング ウェビナーに参加登録する' },
      description: {
        en: 'A live tour with our team, with time for your questions.',
        ja: 'チームによるライブ解説です。質問の時間もあります。',
      },
    },
  ],
  articleId: null,
  email: {
    subject: { en: 'Welcome to the {community}', ja: '{community}へようこそ' },
    body: {
      en: [
        'Hello {name},',
        '',
        'Welcome to the {community}: your address is confirmed and your account is ready.',
        '',
        'Three good first steps:',
        '{steps}',
        '',
        'Your checklist on the home page ticks each one off as you go:',
        '{link}',
      ].join('\n'),
      ja: [
        '{name} 様',
        '',
        '{community}へようこそ。メールアドレスの確認が完了し、ご利用いただけるようになりました。',
        '',
        'はじめにおすすめする 3 つのステップです。',
        '{steps}',
        '',
        'ホームページのチェックリストで、進み具合を確認できます。',
        '{link}',
      ].join('\n'),
    },
  },
}

/** The steps in their order, enabled ones only. */
export function enabledSteps(settings: OnboardingSettings): FirstStepSetting[] {
  return settings.steps.filter((step) => step.enabled)
}

/** Placeholders in a text that are not ones the email knows (`{nmae}`), so a typo is refused. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(welcomePlaceholders)
  return [...text.matchAll(/\{([^{}\s]{1,40})\}/g)].map((m) => m[1] ?? '').filter((name) => !known.has(name))
}

function fillPlaceholders(text: string, values: Record<(typeof welcomePlaceholders)[number], string>): string {
  return text.replace(/\{(name|community|steps|link)\}/g, (_, key: keyof typeof values) => values[key])
}

/** The welcome email in one language: the subject and body with their placeholders filled, `{steps}`
 *  being the first three enabled steps, each with its link. `appUrl` has no trailing slash. */
export function renderWelcomeEmail(
  settings: OnboardingSettings,
  { locale, name, community, appUrl }: { locale: Locale; name: string; community: string; appUrl: string },
): { subject: string; text: string } {
  const steps = enabledSteps(settings)
    .slice(0, WELCOME_EMAIL_STEPS)
    .map((step) => `- ${step.title[locale]}\n  ${appUrl}${firstStepLink(step.kind)}`)
    .join('\n')
  const values = { name, community, steps, link: `${appUrl}/` }
  return {
    subject: fillPlaceholders(settings.email.subject[locale], values).replace(/[\r\n]+/g, ' '),
    text: fillPlaceholders(settings.email.body[locale], values),
  }
}

/** The lasting address of a step (`/first-steps/article`): it leads to the step's page as it is when
 *  the link is followed (the article in the reader's language, the next onboarding webinar). */
export function firstStepLink(kind: FirstStepKind): string {
  return `/first-steps/${kind}`
}

// ---- the staff form ----

/** Form field names of a step: `profileTitleEn`, `webinarEnabled`, ... */
export function stepField(
  kind: FirstStepKind,
  part: 'Enabled' | 'Position' | 'TitleEn' | 'TitleJa' | 'DescriptionEn' | 'DescriptionJa',
) {
  return `${kind}${part}` as const
}

/** Text as typed: a browser sends a textarea's line breaks as CRLF, stored as LF so that saving the
 *  text unchanged changes nothing. */
function typed<T extends z.ZodType>(schema: T) {
  return nulFree(z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value), schema))
}

function requiredText(max: number, required: string, tooLong: string) {
  return typed(z.string({ error: required }).trim().min(1, required).max(max, tooLong))
}

function optionalText(max: number, tooLong: string) {
  return typed(z.string().trim().max(max, tooLong).default(''))
}

function emailText(max: number, required: string, tooLong: string) {
  return requiredText(max, required, tooLong).refine(
    (text) => unknownPlaceholders(text).length === 0,
    'onboarding.validation.placeholder_unknown',
  )
}

const stepFields = Object.fromEntries(
  firstStepKinds.flatMap((kind) => [
    [stepField(kind, 'Enabled'), z.boolean().default(false)],
    [
      stepField(kind, 'Position'),
      z.coerce
        .number({ error: 'onboarding.validation.position_invalid' })
        .int('onboarding.validation.position_invalid')
        .min(1, 'onboarding.validation.position_invalid')
        .max(firstStepKinds.length, 'onboarding.validation.position_invalid'),
    ],
    [
      stepField(kind, 'TitleEn'),
      requiredText(STEP_TITLE_MAX, 'onboarding.validation.title_required', 'onboarding.validation.title_too_long'),
    ],
    [
      stepField(kind, 'TitleJa'),
      requiredText(STEP_TITLE_MAX, 'onboarding.validation.title_required', 'onboarding.validation.title_too_long'),
    ],
    [
      stepField(kind, 'DescriptionEn'),
      optionalText(STEP_DESCRIPTION_MAX, 'onboarding.validation.description_too_long'),
    ],
    [
      stepField(kind, 'DescriptionJa'),
      optionalText(STEP_DESCRIPTION_MAX, 'onboarding.validation.description_too_long'),
    ],
  ]),
) as Record<`${FirstStepKind}${'Enabled'}`, z.ZodDefault<z.ZodBoolean>> &
  Record<`${FirstStepKind}${'Position'}`, z.ZodType<number>> &
  Record<`${FirstStepKind}${'TitleEn' | 'TitleJa' | 'DescriptionEn' | 'DescriptionJa'}`, z.ZodType<string>>

/** The staff form: one flat field per value, so it works as a plain HTML form. */
export const OnboardingFormSchema = z.object({
  ...stepFields,
  articleId: z.preprocess(
    (value) => (value === '' || value === undefined ? null : value),
    z.coerce.number({ error: 'onboarding.validation.article_invalid' }).int().positive().nullable(),
  ),
  subjectEn: emailText(
    EMAIL_SUBJECT_MAX,
    'onboarding.validation.subject_required',
    'onboarding.validation.subject_too_long',
  ),
  subjectJa: emailText(
    EMAIL_SUBJECT_MAX,
    'onboarding.validation.subject_required',
    'onboarding.validation.subject_too_long',
  ),
  bodyEn: emailText(EMAIL_BODY_MAX, 'onboarding.validation.body_required', 'onboarding.validation.body_too_long'),
  bodyJa: emailText(EMAIL_BODY_MAX, 'onboarding.validation.body_required', 'onboarding.validation.body_too_long'),
})
export type OnboardingForm = z.infer<typeof OnboardingFormSchema>

/** The stored settings from the form: steps ordered by their position (ties keep the usual order). */
export function settingsFromOnboardingForm(form: OnboardingForm): OnboardingSettings {
  const values = form as unknown as Record<string, string | number | boolean>
  const text = (kind: FirstStepKind, part: 'TitleEn' | 'TitleJa' | 'DescriptionEn' | 'DescriptionJa') =>
    String(values[stepField(kind, part)] ?? '')
  const steps = firstStepKinds
    .map((kind, index) => ({
      index,
      position: Number(values[stepField(kind, 'Position')]),
      step: {
        kind,
        enabled: values[stepField(kind, 'Enabled')] === true,
        title: { en: text(kind, 'TitleEn'), ja: text(kind, 'TitleJa') },
        description: { en: text(kind, 'DescriptionEn'), ja: text(kind, 'DescriptionJa') },
      },
    }))
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map((entry) => entry.step)
  return {
    steps,
    articleId: form.articleId,
    email: {
      subject: { en: form.subjectEn, ja: form.subjectJa },
      body: { en: form.bodyEn, ja: form.bodyJa },
    },
  }
}

/** The form's values for the stored settings (checkboxes `on` or empty, numbers as text). */
export function onboardingFormValues(settings: OnboardingSettings): Record<string, string> {
  const values: Record<string, string> = {
    articleId: settings.articleId === null ? '' : String(settings.articleId),
    subjectEn: settings.email.subject.en,
    subjectJa: settings.email.subject.ja,
    bodyEn: settings.email.body.en,
    bodyJa: settings.email.body.ja,
  }
  settings.steps.forEach((step, index) => {
    values[stepField(step.kind, 'Enabled')] = step.enabled ? 'on' : ''
    values[stepField(step.kind, 'Position')] = String(index + 1)
    values[stepField(step.kind, 'TitleEn')] = step.title.en
    values[stepField(step.kind, 'TitleJa')] = step.title.ja
    values[stepField(step.kind, 'DescriptionEn')] = step.description.en
    values[stepField(step.kind, 'DescriptionJa')] = step.description.ja
  })
  return values
}
