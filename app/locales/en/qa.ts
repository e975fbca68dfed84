export const qa = {
  qa: {},
}
