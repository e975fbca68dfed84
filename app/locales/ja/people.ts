import type { people as en } from '../en/people.ts'
import type { Catalogue } from '../types.ts'

export const people: Catalogue<typeof en> = {
  people: {
    avatar: {
      not_image: 'JPEG、PNG、WebP、GIF、AVIF のいずれかの形式の画像を選んでください。',
      too_large: 'この画像は {{mb}} MB を超えています。もっと小さな画像を選んでください。',
      too_many_pixels: 'この画像は画素数が多すぎます。5,000 万画素以下の画像を選んでください。',
      unreadable: 'この画像を読み込めませんでした。別の画像を選んでください。',
      too_fast_one:
        'プロフィール画像の変更が続いています。{{count}} 分ほどお待ちいただいてから、もう一度お試しください。',
      too_fast_other:
        'プロフィール画像の変更が続いています。{{count}} 分ほどお待ちいただいてから、もう一度お試しください。',
      not_found: 'このメンバーのプロフィール画像はありません。',
    },
    validation: {
      title_too_long: '役職は 80 文字以内で入力してください。',
      bio_too_long: '自己紹介は 300 文字以内で入力してください。',
    },
    settings: {
      picture: 'プロフィール画像',
      picture_label: '新しい画像',
      picture_hint:
        'JPEG、PNG、WebP、GIF、AVIF 形式で 5 MB まで。中央から正方形に切り抜き、位置情報やカメラの情報は削除します。',
      no_picture: 'プロフィール画像はまだありません。名前の頭文字を表示しています。',
      preview: '選んだ画像',
      remove_picture: '画像を削除',
      picture_removed: 'プロフィール画像を削除しました。代わりに名前の頭文字を表示します。',
      title_label: '役職',
      title_hint: '「情報システム担当」などの役割。80 文字まで。',
      bio_label: '自己紹介',
      bio_hint: 'プロフィールに表示する短い自己紹介。300 文字まで。',
      hide_company: 'プロフィールに会社名を表示しない',
      hide_company_hint: 'プロフィールには「{{company}}」と表示されます。表示しない場合も、スタッフには表示されます。',
      no_company: '顧客アカウントに所属していないため、プロフィールに会社名は表示されません。',
    },
    profile: {
      company: '会社',
      company_hidden: '{{company}}（メンバーには非表示）',
      title: '役職',
      bio: '自己紹介',
      level: 'レベル：{{level}}',
    },
    sort: {
      label: '回答の並べ替え',
      votes: '得票数順',
      newest: '新しい順',
      oldest: '古い順',
    },
  },
}
