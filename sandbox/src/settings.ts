import { validation } from './errors';

/** Points the Razorpay docs leave open (razorpay.md §12); switchable at runtime via `/_sandbox/settings`. */
export interface SandboxSettings {
  /** Min-amount wording: Error Index (default), docs "at least", server tests "atleast". */
  minAmountMessage: 'error_index' | 'at_least' | 'atleast';
  /** The `order_receipt_unique` merchant feature; off by default like Razorpay. */
  receiptUnique: boolean;
  /** Notes limits: docs say 256, server code 512 for values. */
  notesValueMaxLength: number;
  notesKeyMaxLength: number;
}

export const defaultSettings = (): SandboxSettings => ({
  minAmountMessage: 'error_index',
  receiptUnique: false,
  notesValueMaxLength: 256,
  notesKeyMaxLength: 256,
});

export function updateSettings(current: SandboxSettings, patch: unknown): SandboxSettings {
  if (!patch || typeof patch !== 'object') throw validation('settings must be an object');
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'minAmountMessage':
        if (value !== 'error_index' && value !== 'at_least' && value !== 'atleast') {
          throw validation('minAmountMessage must be error_index, at_least or atleast', key);
        }
        next.minAmountMessage = value;
        break;
      case 'receiptUnique':
        if (typeof value !== 'boolean') throw validation('receiptUnique must be a boolean', key);
        next.receiptUnique = value;
        break;
      case 'notesValueMaxLength':
      case 'notesKeyMaxLength':
        if (!Number.isInteger(value) || (value as number) < 1) {
          throw validation(`${key} must be a positive integer`, key);
        }
        next[key] = value as number;
        break;
      default:
        throw validation(`${key} is not a setting`, key);
    }
  }
  return next;
}
