export const notify = {
  notify: {},
}
