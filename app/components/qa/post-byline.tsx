import { Link } from 'react-router'
import { Avatar } from '#app/components/people/avatar.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import { userPath } from '#app/lib/paths.ts'

type BylineProps = {
  authorId: number
  authorName: string
  authorRole: string
  /** When the author's picture changed (null: their initials). */
  authorAvatarUpdatedAt?: Date | string | null
  /** The author's member level, shown small for members above the first level. */
  authorLevel?: string | null
  createdAt: Date | string
  editedAt?: Date | string | null
  /** Catalogue key of the verb: "asked", "answered", "commented". */
  verb: string
}

/** "[picture] asked by Ken (Staff) · 3 Nov 2026 10:00 · edited". Staff answers carry a visible badge,
 *  members above the first level their level. */
export function PostByline({
  authorId,
  authorName,
  authorRole,
  authorAvatarUpdatedAt = null,
  authorLevel = null,
  createdAt,
  editedAt,
  verb,
}: BylineProps) {
  const { t } = useT()
  const { locale, timeZone: zone } = useViewer()
  return (
    <p className="byline">
      <Avatar user={{ id: authorId, displayName: authorName, avatarUpdatedAt: authorAvatarUpdatedAt }} size={24} />{' '}
      {t(verb)} <Link to={userPath(authorId)}>{authorName}</Link>
      {authorRole !== 'member' ? <StaffBadge /> : <LevelBadge level={authorLevel} />}
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

/** A member's level, small, beside their name; nothing for the first level or before any snapshot. */
export function LevelBadge({ level }: { level: string | null | undefined }) {
  const { t } = useT()
  if (!level || level === 'observer') return null
  const name = t(`profile.levels.${level}`)
  return (
    <span className={`badge badge-level profile-level-${level}`}>
      <span aria-hidden="true">{name}</span>
      <span className="visually-hidden">{t('people.profile.level', { level: name })}</span>
    </span>
  )
}

export function StaffBadge() {
  const { t } = useT()
  return <span className="badge badge-staff">{t('qa.staff_badge')}</span>
}
