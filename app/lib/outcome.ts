/** The one result shape of domain functions. `code` is a catalogue key (`identity.email_taken`),
 *  translated at the edge; `field` names the form field the failure belongs to, if any. */
export type Failure = {
  ok: false
  status: number
  code: string
  field?: string
  params?: Record<string, string | number>
}
export type Success<T> = { ok: true; value: T }
export type Outcome<T> = Success<T> | Failure

export function ok<T>(value: T): Success<T>
export function ok(): Success<undefined>
export function ok<T>(value?: T): Success<T | undefined> {
  return { ok: true, value }
}

export function fail(
  status: number,
  code: string,
  options: { field?: string; params?: Record<string, string | number> } = {},
): Failure {
  return { ok: false, status, code, field: options.field, params: options.params }
}
