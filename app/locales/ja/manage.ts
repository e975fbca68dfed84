export const manage = {
  manage: {
    nav: {
      link: 'マネージャー',
      label: 'マネージャー向けのページ',
      dashboard: 'ダッシュボード',
      settings: 'スコアの設定',
    },
  },
}
