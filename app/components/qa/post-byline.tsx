import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { userPath } from '#app/domain/qa/paths.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { useRootData } from '#app/root.tsx'

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
  const root = useRootData()
  const locale = root?.locale ?? 'en'
  const zone = root?.timeZone ?? 'UTC'
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
