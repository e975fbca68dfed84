import type { help_insights as en } from '../en/help-insights.ts'
import type { Catalogue } from '../types.ts'

export const help_insights: Catalogue<typeof en> = {
  help_insights: {},
}
