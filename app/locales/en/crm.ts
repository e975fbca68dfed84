export const crm = {
  crm: {
    api: {
      account_not_found: 'There is no account with this id.',
      no_health: 'This account has no health snapshot yet; the first one is computed by the daily run.',
      invalid_band: 'band must be one of GOOD, NORMAL, BAD or INSUFFICIENT_DATA.',
      invalid_limit: 'limit must be a whole number from 1 to 500.',
      invalid_cursor: 'cursor must be the next_cursor of the page before.',
      method_not_allowed: 'This endpoint accepts GET only.',
    },
    settings: {
      title: 'CRM sync',
      lead: 'Keep account health in your CRM up to date. The CRM reads account health with an API token that has the account health scope, and receives a signed "health.changed" webhook when an account changes level (GOOD, NORMAL, BAD or insufficient data).',
      endpoints: 'Endpoints:',
      webhook_url: 'CRM receiver URL',
      webhook_url_hint:
        'The CRM URL that receives a signed POST when an account changes level, once per change. Leave it empty to send nothing. Failed deliveries are retried with backoff.',
      save: 'Save',
      saved: 'Saved. Account health changes are sent to the CRM with these settings.',
      secret_title: 'CRM signing secret',
      secret_label: 'CRM signing secret',
      secret_hint:
        'The CRM has its own secret, separate from the helpdesk one. Keep it secret and copy it into the CRM.',
      secret_none:
        'There is no CRM signing secret yet. One is created when you save a receiver URL, or generate one now.',
      secret_rotated:
        'A new CRM signing secret is in use. Give it to the CRM now: deliveries from here on are signed with it.',
      scheme:
        'Deliveries are signed and retried exactly like the helpdesk webhook (see "How the receiver checks a delivery"), with this secret. The event is "health.changed"; the body names the account and carries its new level, the previous level, the score, the reasons in English and Japanese and the suggested play.',
      test_title: 'Test delivery to the CRM',
      test_lead:
        'Sends a signed "ping" to the CRM receiver URL now and shows the answer. It appears in the delivery log.',
      test_no_url: 'Save a CRM receiver URL first.',
    },
  },
}
