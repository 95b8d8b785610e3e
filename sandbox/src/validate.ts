import { validation, RazorpayError } from './errors';
import type { Notes } from './entities';
import type { SandboxSettings } from './settings';

type Body = Record<string, unknown>;

export function asBody(raw: unknown): Body {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'object' || Array.isArray(raw) || Buffer.isBuffer(raw)) {
    throw validation('The request body must be a JSON object.');
  }
  return raw as Body;
}

/** Razorpay rejects unknown parameters (Error Index: reason `extra_field_sent`). */
export function rejectExtraFields(body: Body, allowed: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) {
    throw new RazorpayError(400, {
      description: `${extra.join(', ')} is/are not required and should not be sent`,
      source: 'business',
      step: 'payment_initiation',
      reason: 'extra_field_sent',
      field: extra[0],
    });
  }
}

/** Laravel-style integer: JSON integers and digit strings pass; 100.5 does not. */
export function integerField(value: unknown, field: string, required: boolean): number | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw validation(`${field}: is required.`, field);
    return undefined;
  }
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw validation(`The ${field} must be an integer.`, field);
  }
  return n;
}

export function notesField(value: unknown, settings: SandboxSettings): Notes {
  if (value === undefined || value === null) return {};
  // An empty JSON array is how PHP clients send "no notes".
  if (Array.isArray(value) && value.length === 0) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw validation('Notes should be provided as a dictionary', 'notes');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 15) {
    throw validation('Number of fields in notes should be less than or equal to 15', 'notes');
  }
  const notes: Notes = {};
  for (const [key, v] of entries) {
    if (v !== null && typeof v === 'object') {
      throw validation('Notes values themselves should not be an array', 'notes');
    }
    if (key.length > settings.notesKeyMaxLength) {
      throw validation(
        `Notes key cannot be greater ${settings.notesKeyMaxLength} characters`,
        'notes',
      );
    }
    if (String(v).length > settings.notesValueMaxLength) {
      throw validation(
        `Notes value cannot be greater ${settings.notesValueMaxLength} characters`,
        'notes',
      );
    }
    notes[key] = v as string | number | boolean | null;
  }
  return notes;
}

export function booleanField(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  throw validation(`The ${field.replace(/_/g, ' ')} field must be true or false.`, field);
}

export function pageParams(query: Record<string, unknown>): { count: number; skip: number } {
  const count = integerField(query.count, 'count', false) ?? 10;
  const skip = integerField(query.skip, 'skip', false) ?? 0;
  if (count > 100) throw validation('The count may not be greater than 100.', 'count');
  if (count < 1) throw validation('The count must be at least 1.', 'count');
  if (skip < 0) throw validation('The skip must be at least 0.', 'skip');
  return { count, skip };
}
