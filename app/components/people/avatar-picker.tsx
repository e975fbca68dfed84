import { useState } from 'react'
import { ErrorList } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { Avatar, type AvatarUser } from './avatar.tsx'

type AvatarPickerProps = {
  user: AvatarUser
  /** The file input's id and name. */
  id: string
  name: string
  errors?: string[] | null
}

/** The profile form's picture: the current one, a plain file input (it works without JavaScript, in a
 *  multipart form), and with JavaScript a preview of the file chosen before it is sent. The preview is
 *  a data: URL, which the page's Content-Security-Policy allows for images (blob: it does not). */
export function AvatarPicker({ user, id, name, errors }: AvatarPickerProps) {
  const { t } = useT()
  const [preview, setPreview] = useState<string | null>(null)
  const hintId = `${id}-hint`
  const errorId = errors?.length ? `${id}-error` : undefined
  return (
    <fieldset className="avatar-picker">
      <legend>{t('people.settings.picture')}</legend>
      <div className="avatar-picker-row">
        {preview ? (
          <img
            className="avatar"
            src={preview}
            width={64}
            height={64}
            alt={t('people.settings.preview')}
            // A file that only claims to be a picture shows the current one again; the server says why.
            onError={() => setPreview(null)}
          />
        ) : (
          <Avatar user={user} size={64} />
        )}
        <div className="field">
          <label htmlFor={id}>{t('people.settings.picture_label')}</label>
          <input
            type="file"
            id={id}
            name={name}
            accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
            aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
            aria-invalid={errorId ? true : undefined}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0]
              if (!file || !file.type.startsWith('image/')) return setPreview(null)
              const reader = new FileReader()
              reader.onload = () => setPreview(typeof reader.result === 'string' ? reader.result : null)
              reader.readAsDataURL(file)
            }}
          />
          <p id={hintId} className="field-hint">
            {t('people.settings.picture_hint')}
          </p>
          <ErrorList id={errorId} errors={errors} />
        </div>
      </div>
      {user.avatarUpdatedAt ? null : <p className="muted">{t('people.settings.no_picture')}</p>}
    </fieldset>
  )
}
