export const events_registration = {
  events_registration: {},
}
