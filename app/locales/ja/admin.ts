import type { admin as en } from '../en/admin.ts'
import type { Catalogue } from '../types.ts'

export const admin: Catalogue<typeof en> = {
  admin: {
    title: '管理',
    cannot_change_self: '自分自身のロール変更や無効化はできません。',
    staff_have_no_account: 'スタッフは顧客アカウントに所属しません。',
    account_not_found: 'そのアカウントは存在しません。',
  },
  accounts: {
    name_taken: 'この名前のアカウントは既にあります。',
    domain_taken: 'これらのドメインのいずれかは別のアカウントに登録されています: {{domains}}',
    csm_not_staff: 'CSM にはスタッフユーザーを指定してください。',
    import_unreadable: 'ファイルを CSV として読み込めませんでした（{{line}} 行目）。',
    import_empty: 'ファイルに行がありません。',
    import_missing_name: '1 行目は少なくとも "name" 列を含むヘッダーにしてください。',
  },
}
