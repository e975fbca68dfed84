export const manage_dashboard = {
  manage_dashboard: {},
}
