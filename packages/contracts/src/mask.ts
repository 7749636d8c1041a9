/**
 * @module mask
 * Masking of personal numbers wherever the viewer does not need them (logs, lists, screens).
 */

/** 13800000001 → 138****0001 */
export function maskPhone(phone: string): string {
  return phone.replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** 110101199003074512 → 110101********4512 */
export function maskIdNumber(id: string): string {
  return id.replace(/(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g, '$1********$2');
}

/** Masks every mainland mobile number and resident ID number found in a free text. */
export function maskPersonalNumbers(text: string): string {
  return maskPhone(maskIdNumber(text));
}
