export const events_followup = {
  events_followup: {},
}
