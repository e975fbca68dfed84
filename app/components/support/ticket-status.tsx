import { useT } from '#app/components/translation.tsx'
import type { TicketStatus } from '#app/domain/support/options.ts'
import './support.css'

/** A ticket's status as a coloured badge, in the reader's language. */
export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useT()
  return <span className={`badge ticket-status ticket-status-${status}`}>{t(`support.status.${status}`)}</span>
}
