// Placeholder while the CRM API is being built.
export function loader() {
  return new Response(null, { status: 404 })
}
