import type { editor as en } from '../en/editor.ts'
import type { Catalogue } from '../types.ts'

export const editor: Catalogue<typeof en> = {
  editor: {
    toolbar: {
      label: '書式',
      with_keys: '{{label}}（{{keys}}）',
      bold: '太字',
      italic: '斜体',
      link: 'リンクを挿入',
      code: 'コード',
      list: '箇条書き',
      quote: '引用',
      image: '画像を挿入',
    },
    placeholders: {
      bold: '太字のテキスト',
      italic: '斜体のテキスト',
      link: 'リンクのテキスト',
      code: 'コード',
      image: '画像の説明',
    },
    live_preview: {
      idle: '入力すると、ここにプレビューが表示されます。',
      paused: '更新が続いたため、プレビューを少しの間止めています。少し前の内容を表示しています。',
    },
    mentions: {
      label: 'メンションする人',
      found_one: '{{count}} 人が見つかりました。矢印キーで選び、Enter で挿入します。',
      found_other: '{{count}} 人が見つかりました。矢印キーで選び、Enter で挿入します。',
    },
    tags: {
      suggestions: '候補',
      questions_one: '質問 {{count}} 件',
      questions_other: '質問 {{count}} 件',
      found_one: 'タグが {{count}} 件見つかりました。矢印キーで選び、Enter で追加します。',
      found_other: 'タグが {{count}} 件見つかりました。矢印キーで選び、Enter で追加します。',
      manage_link: 'タグの管理',
      manage: {
        title: 'タグの管理',
        lead: 'タグの名前を変えたり、あるタグを別のタグに統合したりできます。そのタグが付いた質問はすべてすぐに変わり、変更は監査ログに記録されます。',
        rename_title: 'タグの名前を変更',
        rename_hint: '新しい名前は、まだ使われていないものにしてください。2 つのタグをまとめるには統合を使います。',
        rename_from: '変更するタグ',
        rename_to: '新しい名前',
        rename_submit: '名前を変更',
        merge_title: '2 つのタグを統合',
        merge_hint: '1 つ目のタグが付いた質問には代わりに 2 つ目のタグが付き、1 つ目のタグは削除されます。',
        merge_from: '統合するタグ',
        merge_into: '統合先のタグ',
        merge_submit: 'タグを統合',
        renamed_one: '「{{from}}」を「{{to}}」に変更しました（質問 {{count}} 件）。',
        renamed_other: '「{{from}}」を「{{to}}」に変更しました（質問 {{count}} 件）。',
        merged_one: '「{{from}}」を「{{to}}」に統合しました（質問 {{count}} 件）。',
        merged_other: '「{{from}}」を「{{to}}」に統合しました（質問 {{count}} 件）。',
        all_tags: '使われているタグ',
      },
      errors: {
        unknown: '「{{name}}」というタグはありません。タグの一覧で綴りを確認してください。',
        same: '異なる 2 つのタグを選んでください。',
        invalid_name: 'タグ名は、文字・数字・+ # . - で 1～{{max}} 文字にしてください。',
        taken: '「{{name}}」というタグはすでにあります。2 つのタグをまとめるには、統合を使ってください。',
        long: 'タグ名は 100 文字以内にしてください。',
      },
    },
  },
}
