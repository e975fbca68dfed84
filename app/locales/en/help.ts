export const help = {
  help: {},
}
