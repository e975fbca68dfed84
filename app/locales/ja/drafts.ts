import type { drafts as en } from '../en/drafts.ts'
import type { Catalogue } from '../types.ts'

export const drafts: Catalogue<typeof en> = {
  drafts: {
    save: '下書きを保存',
    discard: '下書きを破棄',
    saving: '下書きを保存しています…',
    saved_at: '{{time}} に下書きを保存しました。',
    nothing_to_save: '保存する内容がまだありません。',
    save_failed: '下書きを保存できませんでした。{{reason}}',
    discarded: '下書きを破棄しました。',
    restored: '{{time}} に保存した下書きを復元しました。',
    kept_invalid: '{{time}} に下書きを保存しました。ここに保存するには、下に示した項目を入力してください。',
    leave_confirm: '最新の変更はまだ保存されていません。このページを離れますか？',
    errors: {
      unknown_form: 'このフォームは下書きを保存できません。',
      too_long: 'このフォームに入る長さを超えています。短くしてから、もう一度下書きを保存してください。',
      too_fast_one: '短時間に保存が続きました。{{count}} 秒待ってからお試しください。',
      too_fast_other: '短時間に保存が続きました。{{count}} 秒待ってからお試しください。',
      signed_out:
        'ログアウトしているため、下書きを保存できませんでした。本文をコピーしてから再度ログインし、貼り付けてください。',
      offline: '接続を確認してください。入力を続けると、もう一度保存します。',
    },
  },
}
