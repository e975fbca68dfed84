export const profile = {
  profile: {},
}
