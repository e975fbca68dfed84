export const help_browse = {
  help_browse: {},
}
