export const help_insights = {
  help_insights: {},
}
