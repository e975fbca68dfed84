import { avatarColour, avatarPath, initialsOf } from '#app/domain/people/avatar.ts'

export type AvatarUser = { id: number; displayName: string; avatarUpdatedAt?: Date | string | null }

type AvatarProps = {
  user: AvatarUser
  /** Its side in CSS pixels (the stored picture is 256 px, sharp up to 128 at twice the density). */
  size?: number
  /** Next to the member's visible name the picture adds nothing for a screen reader and is hidden from
   *  it (empty alt). Where no name is shown beside it, it is named after the member. */
  decorative?: boolean
  className?: string
}

/** A member's picture: their upload, or their initials on a colour of their own. */
export function Avatar({ user, size = 24, decorative = true, className }: AvatarProps) {
  const src = avatarPath(user.id, user.avatarUpdatedAt)
  const classes = ['avatar', className].filter(Boolean).join(' ')
  const box = { width: size, height: size }
  if (src) {
    return (
      <img
        className={classes}
        src={src}
        {...box}
        alt={decorative ? '' : user.displayName}
        loading="lazy"
        decoding="async"
      />
    )
  }
  const label = decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': user.displayName }
  return (
    <span
      className={`${classes} avatar-initials`}
      style={{ ...box, background: avatarColour(user.id), fontSize: Math.max(10, Math.round(size * 0.4)) }}
      // The initials are drawn by CSS from the attribute, so they never join the text beside them
      // (a summary that reads "BM Bartholomew", an excerpt, a copied name).
      data-initials={initialsOf(user.displayName)}
      {...label}
    />
  )
}
