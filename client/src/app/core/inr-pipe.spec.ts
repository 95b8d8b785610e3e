import { formatPaise } from './inr-pipe';
import { statusLabel } from './order-status-pipe';

describe('formatPaise', () => {
  it('formats integer paise as Indian rupees', () => {
    expect(formatPaise(129900)).toBe('₹1,299.00');
    expect(formatPaise(12345678)).toBe('₹1,23,456.78');
    expect(formatPaise(0)).toBe('₹0.00');
  });
});

describe('statusLabel', () => {
  it('renders server statuses for people', () => {
    expect(statusLabel('paid')).toBe('Paid');
    expect(statusLabel('partially_refunded')).toBe('Partially refunded');
  });
});
