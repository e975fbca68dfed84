import { index, layout, prefix, type RouteConfig, route } from '@react-router/dev/routes'

// Every URL of the app, in one place.
export default [
  index('routes/home.tsx'),
  route('healthz', 'routes/api/healthz.ts'),
  route('set-locale', 'routes/set-locale.ts'),

  route('signup', 'routes/auth/signup.tsx'),
  route('login', 'routes/auth/login.tsx'),
  route('logout', 'routes/auth/logout.ts'),
  route('forgot-password', 'routes/auth/forgot-password.tsx'),
  route('reset-password/:token', 'routes/auth/reset-password.tsx'),
  route('settings', 'routes/settings/index.tsx'),

  route('questions', 'routes/questions/index.tsx'),
  route('questions/new', 'routes/questions/new.tsx'),
  route('questions/similar', 'routes/questions/similar.ts'),
  route('questions/:questionId/:slug?', 'routes/questions/question.tsx'),
  route('posts/:postType/:postId/edit', 'routes/questions/edit.tsx'),
  route('posts/:postType/:postId/revisions', 'routes/questions/revisions.tsx'),
  route('tags', 'routes/questions/tags.tsx'),
  route('tags/:tag', 'routes/questions/index.tsx', { id: 'routes/questions/tag' }),
  route('users/:userId', 'routes/users/profile.tsx'),
  route('moderation', 'routes/moderation/index.tsx'),
  route('notifications', 'routes/notifications/index.tsx'),
  ...prefix('search', [
    index('routes/search/index.tsx'),
    route('suggest', 'routes/search/suggest.ts'),
    route('click', 'routes/search/click.ts'),
    route('insights', 'routes/search/insights.tsx'),
  ]),
  ...prefix('help', [
    index('routes/help/index.tsx'),
    route('insights', 'routes/help/insights.tsx'),
    route('manage', 'routes/help/manage.tsx'),
    route('manage/categories', 'routes/help/categories.tsx'),
    route('new', 'routes/help/new.tsx'),
    route('articles/:articleId/edit', 'routes/help/edit.tsx'),
    route('articles/:articleId/revisions', 'routes/help/revisions.tsx'),
    route(':category', 'routes/help/category.tsx'),
    route(':category/:slug', 'routes/help/article.tsx'),
  ]),
  ...prefix('events', [
    index('routes/events/index.tsx'),
    route('new', 'routes/events/new.tsx'),
    route(':eventId', 'routes/events/event.tsx'),
    route(':eventId/edit', 'routes/events/edit.tsx'),
    route(':eventId/attendance', 'routes/events/attendance.tsx'),
    route(':eventId/survey', 'routes/events/survey.tsx'),
    route(':eventId/results', 'routes/events/results.tsx'),
  ]),
  route('calendar/:token', 'routes/events/calendar-feed.ts'),
  route('support', 'routes/support/index.tsx'),

  ...prefix('admin', [
    layout('routes/admin/layout.tsx', [
      index('routes/admin/index.tsx'),
      route('users', 'routes/admin/users.tsx'),
      route('users/:userId', 'routes/admin/user.tsx'),
      route('accounts', 'routes/admin/accounts.tsx'),
      route('accounts/new', 'routes/admin/account-new.tsx'),
      route('accounts/import', 'routes/admin/accounts-import.tsx'),
      route('accounts/:accountId', 'routes/admin/account.tsx'),
      route('audit', 'routes/admin/audit.tsx'),
      route('mail', 'routes/admin/mail.tsx'),
      route('mail/:messageId', 'routes/admin/mail-message.tsx'),
    ]),
  ]),

  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig
