import { FormControl } from '@angular/forms';
import { indianMobileValidator, normalizeIndianMobile } from './indian-mobile-validator';

describe('Indian mobile numbers', () => {
  it.each([
    ['9876543210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91-98765-43210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['09876543210', '+919876543210'],
    ['6123456789', '+916123456789'],
  ])('accepts %s', (input, expected) => {
    expect(normalizeIndianMobile(input)).toBe(expected);
  });

  it.each(['12345', '5876543210', '+1 415 555 0100', '98765432101', 'phone'])(
    'rejects %s',
    (input) => {
      expect(normalizeIndianMobile(input)).toBeNull();
      expect(indianMobileValidator(new FormControl(input))).toEqual({ indianMobile: true });
    },
  );

  it('leaves empty values to required', () => {
    expect(indianMobileValidator(new FormControl(''))).toBeNull();
  });
});
