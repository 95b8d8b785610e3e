import { Pipe, PipeTransform } from '@angular/core';
import { OrderStatus } from '../api/api-types';

const LABELS: Record<OrderStatus, string> = {
  pending: 'Awaiting payment',
  paid: 'Paid',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

export function statusLabel(status: OrderStatus | string): string {
  return LABELS[status as OrderStatus] ?? status;
}

/** Anything but pending is settled: the order will not move on its own any more. */
export function isSettled(status: OrderStatus): boolean {
  return status !== 'pending';
}

@Pipe({ name: 'orderStatus' })
export class OrderStatusPipe implements PipeTransform {
  transform(status: OrderStatus | string): string {
    return statusLabel(status);
  }
}
