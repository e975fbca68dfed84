// Placeholder while the dashboard is being built.
export default function Placeholder() {
  return null
}
