import type { TFunction } from 'i18next'

/** The person a notification names, as its sentence puts them: "Lin" / 「Lin さん」, or "Someone" /
 *  「どなたか」 once their account is gone. The honorific belongs to a name, never to the sentence
 *  template, so the fallback does not become 「だれか さん」. */
export function actorLabel(t: TFunction, name: string | null): string {
  return name === null ? t('notify.someone') : t('notify.actor', { name })
}
