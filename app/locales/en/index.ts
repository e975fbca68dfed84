import { admin } from './admin.ts'
import { common } from './common.ts'
import { crm } from './crm.ts'
import { drafts } from './drafts.ts'
import { editor } from './editor.ts'
import { events } from './events.ts'
import { events_followup } from './events-followup.ts'
import { events_registration } from './events-registration.ts'
import { health_check } from './health-check.ts'
import { help } from './help.ts'
import { help_browse } from './help-browse.ts'
import { help_insights } from './help-insights.ts'
import { identity } from './identity.ts'
import { manage } from './manage.ts'
import { manage_dashboard } from './manage-dashboard.ts'
import { notify } from './notify.ts'
import { nps } from './nps.ts'
import { onboarding } from './onboarding.ts'
import { outcomes } from './outcomes.ts'
import { people } from './people.ts'
import { profile } from './profile.ts'
import { qa } from './qa.ts'
import { scoring } from './scoring.ts'
import { search } from './search.ts'
import { sso } from './sso.ts'
import { support } from './support.ts'
import { support_helpdesk } from './support-helpdesk.ts'
import { support_insights } from './support-insights.ts'
import { uploads } from './uploads.ts'

export const en = {
  ...common,
  ...identity,
  ...admin,
  ...qa,
  ...notify,
  ...profile,
  ...help,
  ...help_browse,
  ...help_insights,
  ...events,
  ...events_registration,
  ...events_followup,
  ...scoring,
  ...manage,
  ...manage_dashboard,
  ...health_check,
  ...crm,
  ...search,
  ...support,
  ...support_helpdesk,
  ...support_insights,
  ...nps,
  ...outcomes,
  ...sso,
  ...onboarding,
  ...drafts,
  ...uploads,
  ...editor,
  ...people,
}
