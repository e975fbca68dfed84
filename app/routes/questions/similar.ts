export function loader() {
  return { questions: [] }
}
