import type { RejectionDeclarations } from '@coffee-es/core';

/** Every refusal of an order command, with its kind (the HTTP edge answers kinds, not codes). */
export const orderRejections = {
  'order-not-found': 'not-found',
  'branch-not-found': 'reference-not-found',
  'customer-not-found': 'reference-not-found',
  'order-exists': 'conflict',
  'invalid-transition': 'conflict',
  'amount-mismatch': 'conflict',
  'refund-exceeds-paid': 'conflict',
} as const satisfies RejectionDeclarations;

export type OrderRejection = keyof typeof orderRejections;
