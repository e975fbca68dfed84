import { useT } from '#app/components/translation.tsx'
import type { TicketStatus } from '#app/domain/support/options.ts'
import './support.css'

/** A ticket's status as a coloured badge, in the reader's language: "Waiting for you" to the requester,
 *  "Waiting on customer" to staff reading someone else's request. */
export function TicketStatusBadge({ status, staff = false }: { status: TicketStatus; staff?: boolean }) {
  const { t } = useT()
  const label = staff ? t(`support.status_staff.${status}`) : t(`support.status.${status}`)
  return <span className={`badge ticket-status ticket-status-${status}`}>{label}</span>
}
