/** The hidden field that carries a create form's one-time key (docs/decisions/027); shared by the
 *  forms that render it and the server that reads it. */
export const ONE_TIME_KEY_FIELD = 'submissionKey'
