// Placeholder while the CSV exports are being built.
export function loader() {
  return new Response(null, { status: 404 })
}
