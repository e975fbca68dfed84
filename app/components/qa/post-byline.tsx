import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import { userPath } from '#app/lib/paths.ts'

type BylineProps = {
  authorId: number
  authorName: string
  authorRole: string
  createdAt: Date | string
  editedAt?: Date | string | null
  /** Catalogue key of the verb: "asked", "answered", "commented". */
  verb: string
}

/** "asked by Ken (Staff) · 3 Nov 2026 10:00 · edited". Staff answers carry a visible badge. */
export function PostByline({ authorId, authorName, authorRole, createdAt, editedAt, verb }: BylineProps) {
  const { t } = useT()
  const { locale, timeZone: zone } = useViewer()
  return (
    <p className="byline">
      {t(verb)} <Link to={userPath(authorId)}>{authorName}</Link>
      {authorRole !== 'member' ? <StaffBadge /> : null}
      {t('app.separator')}
      <time dateTime={new Date(createdAt).toISOString()}>{formatDateTime(createdAt, locale, zone)}</time>
      {editedAt ? (
        <>
          {t('app.separator')}
          <span className="muted">{t('qa.edited', { when: formatDateTime(editedAt, locale, zone) })}</span>
        </>
      ) : null}
    </p>
  )
}

export function StaffBadge() {
  const { t } = useT()
  return <span className="badge badge-staff">{t('qa.staff_badge')}</span>
}
