/**
 * Who may call what (../shared/API.md, "Authorization"): staff may do everything; customers reach
 * the shop's public face (branches, slots, availability) and only what is theirs.
 */
import type { OwnerRule, RouteAccess } from '@coffee-es/aws-lambda';

/** The token scopes of the two kinds of caller. */
export const scopes = { staff: 'coffee/staff', customer: 'coffee/customer' } as const;

/** Anyone, without a token. */
export const open: RouteAccess = { kind: 'public' };

/** Staff only: branches, slots, order fulfilment, refunds, reports, operations. */
export const staffOnly: RouteAccess = { kind: 'token', scopes: [scopes.staff] };

/** Staff and every customer alike: reads of the shop's public face. */
export const anyCaller: RouteAccess = { kind: 'token', scopes: [scopes.staff, scopes.customer] };

/** Staff, and customers on what they own, found as `rule` says. */
export const ownerOr = (rule: Omit<OwnerRule, 'scopes'>): RouteAccess => ({
  kind: 'token',
  scopes: [scopes.staff, scopes.customer],
  owner: { scopes: [scopes.customer], ...rule },
});
