/** Every participation signal the activity ledger records (docs/architecture.md section 6). A plain module, so
 *  forms in the browser can list them. */
export const activityTypes = [
  'visit_day',
  'question_asked',
  'answer_posted',
  'answer_accepted',
  'answer_promoted',
  'comment_posted',
  'vote_cast',
  'vote_received',
  'article_viewed',
  'article_feedback',
  'event_registered',
  'event_attended',
  'survey_answered',
  'search_performed',
  'ticket_deflected',
  'ticket_filed',
  /** The member saved their profile (name, language, time zone): once per member. */
  'profile_completed',
] as const
export type ActivityType = (typeof activityTypes)[number]
