export const admin = {
  admin: {
    title: 'Administration',
    cannot_change_self: 'You cannot change your own role or disable yourself.',
    staff_have_no_account: 'Staff users do not belong to a customer account.',
    account_not_found: 'That account does not exist.',
  },
  accounts: {
    name_taken: 'An account with this name already exists.',
    domain_taken: 'One of these domains already belongs to another account: {{domains}}',
    csm_not_staff: 'The CSM must be a staff user.',
    import_unreadable: 'The file could not be read as CSV (line {{line}}).',
    import_empty: 'The file has no rows.',
    import_missing_name: 'The first line must be a header with at least a "name" column.',
  },
}
