export const events = {
  events: {},
}
