export const drafts = {
  drafts: {
    save: 'Save draft',
    discard: 'Discard draft',
    saving: 'Saving draft…',
    saved_at: 'Draft saved at {{time}}.',
    nothing_to_save: 'Nothing to save yet.',
    save_failed: 'Couldn’t save the draft. {{reason}}',
    discarded: 'Draft discarded.',
    restored: 'Restored your draft from {{time}}.',
    kept_invalid: 'Draft saved at {{time}}. To save it here, complete the fields marked below.',
    leave_confirm: 'Your latest changes are not saved yet. Leave this page anyway?',
    errors: {
      unknown_form: 'This form keeps no drafts.',
      too_long: 'The text is longer than this form takes. Shorten it, then save the draft again.',
      too_fast_one: 'Too many saves in a short time. Please wait {{count}} second.',
      too_fast_other: 'Too many saves in a short time. Please wait {{count}} seconds.',
      signed_out: 'You are signed out, so the draft was not saved. Copy your text, sign in again and paste it back.',
      offline: 'Check your connection; it will be saved again as you type.',
    },
  },
}
