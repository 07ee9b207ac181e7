import type { RejectionDeclarations } from '@coffee-es/core';

/** Every refusal of a slot command, with its kind. */
export const slotRejections = {
  'slot-not-found': 'not-found',
  'reservation-not-found': 'not-found',
  'branch-not-found': 'reference-not-found',
  'slot-full': 'conflict',
  'capacity-below-reserved': 'conflict',
} as const satisfies RejectionDeclarations;

export type SlotRejection = keyof typeof slotRejections;
