// The pages of the app and who may use them: one list, read by the HTTP suites (tests/http) and the
// browser suites (tests/e2e). Nothing here starts a server or opens a database.

/** Who asks, in the order every policy string of the HTTP suites lists them. */
export const personas = ['visitor', 'member', 'other', 'staff', 'manager', 'admin'] as const
export type Persona = (typeof personas)[number]

/** The demo users behind each persona: "member" owns the objects the suites point at (Bob Rivera of
 *  Bluebird asked a question and filed tickets); "other" is a member of another account (Nina Park). */
export const personaEmails: Record<Exclude<Persona, 'visitor'>, string> = {
  member: 'bob@bluebird.example',
  other: 'nina@northwind.example',
  staff: 'staff@community.example',
  manager: 'manager@community.example',
  admin: 'admin@community.example',
}

/** The demo objects the route table's URLs point at (tests/http/personas.ts reads them from the
 *  database; the browser suites find them through the pages). */
export type DemoObjects = {
  memberId: number
  accountId: number
  questionId: number
  questionPath: string
  answerId: number
  ticketId: number
  article: { id: number; slug: string; category: string }
  eventId: number
  attendedEventId: number
  tag: string
  mailId: number
}

// Every route of app/routes.ts × every persona × (read = GET, change = POST), against a declared
// policy. A route missing from the table fails the test, so a new route must say who may use it.
//
// Each rule is six letters, one per persona in the order visitor, member (the owner of the object the
// URL names), other member (of another account), staff, manager, admin:
//   y  answered (2xx, a redirect other than to sign-in; for a change also a 4xx about the input)
//   l  sent to sign in (a redirect to /login, or 401 without a Bearer challenge)
//   t  needs an API token (401 with a Bearer challenge)
//   n  refused (403, or 404 so as not to tell that the object exists)
//   -  the method is not served (405)

export type Rule = string
export type Policy = {
  url: (o: DemoObjects) => string
  read: Rule
  change: Rule
  /** The form a change sends (default: empty, which an allowed persona gets a 4xx for). */
  body?: (o: DemoObjects) => Record<string, string>
  /** The method of a change, when it is not POST (a JSON API). */
  method?: 'PATCH' | 'PUT'
  /** The change ends the session (sign out): it is sent after every other change. */
  endsSession?: boolean
  /** The change is authorised by a signed token in the address and taken from any site by design (the
   *  RFC 8058 one-click unsubscribe): the door strips cookies and origin headers instead of refusing. */
  tokenWrite?: boolean
}

const question = (o: DemoObjects) => o.questionPath
const event = (o: DemoObjects) => `/events/${o.eventId}`

export const policy: Record<string, Policy | 'layout'> = {
  // Its one form hides a new member's first-steps checklist (a change without an intent is a 400). The
  // form posts to `/?index`, the index route; a POST to `/` is the root route's, which has no action.
  'routes/home.tsx': { url: () => '/?index', read: 'yyyyyy', change: 'lyyyyy' },
  // A first step's lasting address (the welcome email links it): a redirect to the step's page.
  'routes/first-steps.ts': { url: () => '/first-steps/article', read: 'lyyyyy', change: '------' },
  'routes/api/healthz.ts': { url: () => '/healthz', read: 'yyyyyy', change: '------' },
  'routes/set-locale.ts': { url: () => '/set-locale', read: 'yyyyyy', change: 'yyyyyy' },

  'routes/auth/signup.tsx': { url: () => '/signup', read: 'yyyyyy', change: 'yyyyyy' },
  'routes/auth/login.tsx': { url: () => '/login', read: 'yyyyyy', change: 'yyyyyy' },
  'routes/auth/logout.ts': { url: () => '/logout', read: 'yyyyyy', change: 'yyyyyy', endsSession: true },
  'routes/auth/forgot-password.tsx': { url: () => '/forgot-password', read: 'yyyyyy', change: 'yyyyyy' },
  'routes/auth/reset-password.tsx': { url: () => '/reset-password/no-such-token', read: 'yyyyyy', change: 'yyyyyy' },
  // Sending the confirmation link again: signed-in members only (confirmed ones are told so).
  'routes/auth/verify-email-resend.tsx': { url: () => '/verify-email', read: 'yyyyyy', change: 'lyyyyy' },
  'routes/auth/verify-email.tsx': { url: () => '/verify-email/no-such-token', read: 'yyyyyy', change: 'yyyyyy' },
  // Single sign-on: the demo has no provider, so these name one that does not exist (everyone is sent to
  // the sign-in page, which says the option is not available); tests/sso/sso.test.ts and
  // tests/e2e/sso.spec.ts go through a real one.
  'routes/auth/sso-start.ts': { url: () => '/auth/sso/no-such-provider', read: 'llllll', change: 'llllll' },
  'routes/auth/sso-callback.ts': {
    url: () => '/auth/sso/no-such-provider/callback?code=x&state=y',
    read: 'llllll',
    change: '------',
  },
  'routes/settings/index.tsx': { url: () => '/settings', read: 'lyyyyy', change: 'lyyyyy' },
  'routes/settings/notifications.tsx': { url: () => '/settings/notifications', read: 'lyyyyy', change: 'lyyyyy' },
  // The editor's uploads (JSON, POST only; an empty form is a 400), and a file: an id that names nothing
  // answers 404 to everyone, exactly as a file one may not see (tests/e2e/uploads.spec.ts has real ones).
  'routes/uploads/create.ts': { url: () => '/uploads', read: '------', change: 'lyyyyy' },
  'routes/uploads/file.ts': { url: () => '/uploads/AAAAAAAAAAAAAAAAAAAAAA/none.png', read: 'nnnnnn', change: '------' },

  // Drafts saved while typing (JSON, POST only; an empty form is a 400, a visitor a 401).
  'routes/drafts.ts': { url: () => '/drafts', read: '------', change: 'lyyyyy' },
  'routes/questions/index.tsx': { url: () => '/questions', read: 'yyyyyy', change: '------' },
  'routes/questions/new.tsx': { url: () => '/questions/new', read: 'lyyyyy', change: 'lyyyyy' },
  'routes/questions/similar.ts': { url: () => '/questions/similar?title=export+csv', read: 'yyyyyy', change: '------' },
  'routes/questions/question.tsx': {
    url: question,
    read: 'yyyyyy',
    // Accepting an answer: the asker and staff may; another member may not.
    change: 'lynyyy',
    body: (o) => ({ intent: 'accept', answerId: String(o.answerId) }),
  },
  'routes/questions/edit.tsx': {
    url: (o) => `/posts/question/${o.questionId}/edit`,
    read: 'lynyyy',
    change: 'lynyyy',
  },
  'routes/questions/revisions.tsx': {
    url: (o) => `/posts/question/${o.questionId}/revisions`,
    read: 'yyyyyy',
    change: '------',
  },
  'routes/questions/tags.tsx': { url: () => '/tags', read: 'yyyyyy', change: '------' },
  // Tag suggestions for the tags field (JSON, public like /tags); staff rename and merge tags.
  'routes/questions/tag-suggest.ts': { url: () => '/tags/suggest?q=cs', read: 'yyyyyy', change: '------' },
  'routes/questions/tags-manage.tsx': { url: () => '/tags/manage', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/questions/tag': { url: (o) => `/tags/${encodeURIComponent(o.tag)}`, read: 'yyyyyy', change: '------' },
  // People to mention while typing "@" (JSON): signed-in members only, a visitor gets a 401.
  'routes/users/suggest.ts': { url: () => '/users/suggest?q=al', read: 'lyyyyy', change: '------' },
  'routes/users/profile.tsx': { url: (o) => `/users/${o.memberId}`, read: 'yyyyyy', change: '------' },
  // The demo member has no picture: a 404 for everyone (a picture is public, like the profile).
  'routes/users/avatar.ts': { url: (o) => `/users/${o.memberId}/avatar/1`, read: 'nnnnnn', change: '------' },
  'routes/moderation/index.tsx': { url: () => '/moderation', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/notifications/index.tsx': { url: () => '/notifications', read: 'lyyyyy', change: 'lyyyyy' },

  'routes/search/index.tsx': { url: () => '/search?q=csv', read: 'yyyyyy', change: '------' },
  'routes/search/suggest.ts': { url: () => '/search/suggest?q=cs', read: 'yyyyyy', change: '------' },
  'routes/search/click.ts': { url: () => '/search/click', read: '------', change: 'yyyyyy' },
  // Its forms add and delete synonym rules (an empty form is a 400).
  'routes/search/insights.tsx': { url: () => '/search/insights', read: 'lnnyyy', change: 'lnnyyy' },

  'routes/help/index.tsx': { url: () => '/help', read: 'yyyyyy', change: '------' },
  'routes/help/insights.tsx': { url: () => '/help/insights', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/help/manage.tsx': { url: () => '/help/manage', read: 'lnnyyy', change: '------' },
  'routes/help/categories.tsx': { url: () => '/help/manage/categories', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/help/new.tsx': { url: () => '/help/new', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/help/edit.tsx': { url: (o) => `/help/articles/${o.article.id}/edit`, read: 'lnnyyy', change: 'lnnyyy' },
  'routes/help/revisions.tsx': {
    url: (o) => `/help/articles/${o.article.id}/revisions`,
    read: 'lnnyyy',
    change: 'lnnyyy',
    body: () => ({ number: '1' }),
  },
  'routes/help/category.tsx': { url: (o) => `/help/${o.article.category}`, read: 'yyyyyy', change: '------' },
  'routes/help/article.tsx': {
    url: (o) => `/help/${o.article.category}/${o.article.slug}`,
    read: 'yyyyyy',
    change: 'yyyyyy',
  },

  'routes/events/index.tsx': { url: () => '/events', read: 'yyyyyy', change: 'lyyyyy' },
  'routes/events/new.tsx': { url: () => '/events/new', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/events/event.tsx': { url: event, read: 'yyyyyy', change: 'lyyyyy' },
  'routes/events/edit.tsx': { url: (o) => `${event(o)}/edit`, read: 'lnnyyy', change: 'lnnyyy' },
  'routes/events/attendance.tsx': { url: (o) => `${event(o)}/attendance`, read: 'lnnyyy', change: 'lnnyyy' },
  // Only those who attended answer an event's survey.
  'routes/events/survey.tsx': {
    url: (o) => `/events/${o.attendedEventId}/survey`,
    read: 'lynnnn',
    change: 'lynnnn',
  },
  'routes/events/results.tsx': { url: (o) => `${event(o)}/results`, read: 'lnnyyy', change: '------' },
  'routes/events/calendar-feed.ts': { url: () => '/calendar/not-a-feed-token.ics', read: 'nnnnnn', change: '------' },

  'routes/support/index.tsx': { url: () => '/support', read: 'yyyyyy', change: '------' },
  'routes/support/new.tsx': { url: () => '/support/new', read: 'lyyyyy', change: 'lyyyyy' },
  'routes/support/suggest.ts': { url: () => '/support/suggest', read: '------', change: 'lyyyyy' },
  'routes/support/open.ts': { url: () => '/support/open', read: '------', change: 'lyyyyy' },
  'routes/support/tickets.tsx': { url: () => '/support/tickets', read: 'lyyyyy', change: '------' },
  'routes/support/ticket.tsx': { url: (o) => `/support/tickets/${o.ticketId}`, read: 'lynyyy', change: '------' },
  'routes/support/insights.tsx': { url: () => '/support/insights', read: 'lnnyyy', change: '------' },
  'routes/support/import.tsx': { url: () => '/support/import', read: 'lnnyyy', change: 'lnnyyy' },
  'routes/support/settings.tsx': { url: () => '/support/settings', read: 'lnnnny', change: 'lnnnny' },
  'routes/support/deliveries.tsx': { url: () => '/support/deliveries', read: 'lnnyyy', change: 'lnnyyy' },

  // The JSON API answers bearer tokens only; a browser session is not a credential there.
  'routes/api/tickets.ts': {
    url: (o) => `/api/v1/tickets/${o.ticketId}`,
    read: 'tttttt',
    change: 'tttttt',
    method: 'PATCH',
  },
  'routes/api/health.ts': { url: () => '/api/v1/health', read: 'tttttt', change: '------' },
  'routes/api/account-health.ts': {
    url: (o) => `/api/v1/accounts/${o.accountId}/health`,
    read: 'tttttt',
    change: '------',
  },
  'routes/api/account-outcomes.ts': {
    url: (o) => `/api/v1/accounts/${o.accountId}/outcomes`,
    read: '------',
    change: 'tttttt',
  },
  'routes/api/accounts.ts': {
    url: () => '/api/v1/accounts/by-external-id/POLICY-1',
    read: '------',
    change: 'tttttt',
    method: 'PUT',
  },

  'routes/manage/layout.tsx': 'layout',
  'routes/manage/index.tsx': { url: () => '/manage', read: 'lnnyyy', change: '------' },
  'routes/manage/account.tsx': { url: (o) => `/manage/accounts/${o.accountId}`, read: 'lnnyyy', change: '------' },
  // Staff read the settings; only managers change them.
  'routes/manage/settings.tsx': { url: () => '/manage/settings', read: 'lnnyyy', change: 'lnnnyy' },
  'routes/manage/export.ts': { url: () => '/manage/export/health-at-risk?days=30', read: 'lnnyyy', change: '------' },
  // The health track record: staff read it and try weights; only managers save weights from it.
  'routes/manage/health-check.tsx': { url: () => '/manage/health-check', read: 'lnnyyy', change: 'lnnnyy' },
  'routes/manage/health-check-csv.ts': {
    url: () => '/manage/health-check.csv?table=levels',
    read: 'lnnyyy',
    change: '------',
  },
  'routes/manage/surveys.tsx': { url: () => '/manage/surveys', read: 'lnnyyy', change: 'lnnnyy' },
  'routes/manage/surveys-export.ts': { url: () => '/manage/surveys/export.csv', read: 'lnnyyy', change: '------' },
  // Staff edit a new member's first steps and the welcome email.
  'routes/manage/onboarding.tsx': { url: () => '/manage/onboarding', read: 'lnnyyy', change: 'lnnyyy' },

  // The survey's answer and unsubscribe pages: the signed token in the address is the credential, so a
  // token that names nothing is 404 for everyone, signed in or not.
  'routes/surveys/nps.tsx': { url: () => '/surveys/nps/1.not-a-signature/7', read: 'nnnnnn', change: 'nnnnnn' },
  // A notification email's unsubscribe page: the same rule (a signed token names the member and the kind).
  'routes/notifications/unsubscribe.tsx': {
    url: () => '/unsubscribe/1-answer.not-a-signature',
    read: 'nnnnnn',
    change: 'nnnnnn',
    tokenWrite: true,
  },
  'routes/surveys/unsubscribe.tsx': {
    url: () => '/surveys/unsubscribe/1.not-a-signature',
    read: 'nnnnnn',
    change: 'nnnnnn',
    tokenWrite: true,
  },

  'routes/admin/layout.tsx': 'layout',
  'routes/admin/index.tsx': { url: () => '/admin', read: 'lnnyyy', change: '------' },
  'routes/admin/users.tsx': { url: () => '/admin/users', read: 'lnnyyy', change: '------' },
  'routes/admin/user.tsx': {
    url: (o) => `/admin/users/${o.memberId}`,
    read: 'lnnyyy',
    // Changing a role is for admins only (an unchanged role, so the matrix changes nothing).
    change: 'lnnnny',
    body: () => ({ intent: 'role', role: 'member' }),
  },
  'routes/admin/accounts.tsx': { url: () => '/admin/accounts', read: 'lnnyyy', change: '------' },
  'routes/admin/account-new.tsx': { url: () => '/admin/accounts/new', read: 'lnnnny', change: 'lnnnny' },
  'routes/admin/accounts-import.tsx': { url: () => '/admin/accounts/import', read: 'lnnnny', change: 'lnnnny' },
  'routes/admin/outcomes-import.tsx': {
    url: () => '/admin/accounts/outcomes/import',
    read: 'lnnnny',
    change: 'lnnnny',
  },
  'routes/admin/account.tsx': { url: (o) => `/admin/accounts/${o.accountId}`, read: 'lnnyyy', change: 'lnnnny' },
  'routes/admin/audit.tsx': { url: () => '/admin/audit', read: 'lnnnny', change: '------' },
  'routes/admin/mail.tsx': { url: () => '/admin/mail', read: 'lnnnny', change: '------' },
  'routes/admin/mail-message.tsx': { url: (o) => `/admin/mail/${o.mailId}`, read: 'lnnnny', change: '------' },
  'routes/admin/api-tokens.tsx': { url: () => '/admin/api-tokens', read: 'lnnnny', change: 'lnnnny' },
  'routes/admin/jobs.tsx': { url: () => '/admin/jobs', read: 'lnnnny', change: 'lnnnny' },
  'routes/admin/sso.tsx': { url: () => '/admin/sso', read: 'lnnnny', change: 'lnnnny' },
  'routes/admin/uploads.tsx': { url: () => '/admin/uploads', read: 'lnnnny', change: 'lnnnny' },
  // No provider in the demo data: provider 0 is a 404 for the admin too (the spec edits a real one).
  'routes/admin/sso-provider.tsx': { url: () => '/admin/sso/0', read: 'lnnnnn', change: 'lnnnnn' },

  'routes/not-found.tsx': { url: () => '/no-such-page', read: 'nnnnnn', change: 'nnnnnn' },
}
