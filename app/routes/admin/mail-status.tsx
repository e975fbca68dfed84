import { useT } from '#app/components/translation.tsx'

export const mailStatuses = ['pending', 'sent', 'failed', 'stored'] as const
export type MailStatus = (typeof mailStatuses)[number]

/** An outbox message's status; a failed one stands out. */
export function MailStatusBadge({ status }: { status: MailStatus }) {
  const { t } = useT()
  return (
    <span className={status === 'failed' ? 'badge badge-danger' : 'badge'}>{t(`admin.mail.statuses.${status}`)}</span>
  )
}
