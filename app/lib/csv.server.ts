/** The bytes of an uploaded CSV file as text: UTF-8 when they are valid UTF-8, otherwise Shift_JIS,
 *  which Excel still writes for Japanese CSV. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('shift_jis').decode(bytes)
  }
}
