import type { RejectionDeclarations } from '@coffee-es/core';

/** Every refusal of a customer command, with its kind. */
export const customerRejections = {
  'customer-not-found': 'not-found',
  'customer-exists': 'conflict',
  'insufficient-points': 'conflict',
} as const satisfies RejectionDeclarations;

export type CustomerRejection = keyof typeof customerRejections;
