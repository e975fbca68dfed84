import { redirect } from 'react-router'
import { requireCapability } from '#app/server/auth.server.ts'
import type { Route } from './+types/index'

export function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'admin.area')
  throw redirect('/admin/users')
}

export default function AdminIndex() {
  return null
}
