export const crm = {
  crm: {},
}
