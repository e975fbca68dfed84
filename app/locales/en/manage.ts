export const manage = {
  manage: {
    nav: {
      link: 'Manage',
      label: 'Manager sections',
      dashboard: 'Dashboard',
      settings: 'Scoring settings',
    },
  },
}
