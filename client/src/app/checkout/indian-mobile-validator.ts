import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

const INDIAN_MOBILE = /^(?:\+91|91|0)?([6-9]\d{9})$/;

/** "+91 98765 43210", "098765-43210", "9876543210" → "+919876543210"; null when not an Indian mobile. */
export function normalizeIndianMobile(value: string): string | null {
  const compact = value.replace(/[\s\-().]/g, '');
  const match = INDIAN_MOBILE.exec(compact);
  return match ? `+91${match[1]}` : null;
}

export const indianMobileValidator: ValidatorFn = (
  control: AbstractControl<string>,
): ValidationErrors | null => {
  const value = (control.value ?? '').trim();
  if (!value) return null; // `required` reports empty values
  return normalizeIndianMobile(value) ? null : { indianMobile: true };
};
