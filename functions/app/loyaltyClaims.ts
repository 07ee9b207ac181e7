/**
 * The keys loyalty's effects claim with a customer's commit (see loyalty.ts), in a module of its
 * own that imports no domain: every function's entity stores append through the claiming journal
 * (a commit that claims nothing is a plain append), so none carries the customer domain for it.
 */
import type { Commit, CommitClaims } from '@coffee-es/core';

export const creditKey = (streamId: string, orderId: string) => `${streamId}/credit/${orderId}`;
export const refundKey = (streamId: string, refundId: string) => `${streamId}/refund/${refundId}`;

/**
 * The claims of a customer commit, from its events: a credit claims its order, a deduction for
 * a refund claims the refund and requires the order's credit (unless it brings it itself).
 */
export function loyaltyClaims(commit: Commit): CommitClaims {
  const claims: string[] = [];
  const requires: string[] = [];
  for (const event of commit.events) {
    const data = (event.data ?? {}) as { orderId?: unknown; refundId?: unknown };
    if (typeof data.orderId !== 'string') continue;
    if (event.type === 'CustomerPointsAdded') claims.push(creditKey(commit.streamId, data.orderId));
    if (event.type === 'CustomerPointsDeducted' && typeof data.refundId === 'string') {
      claims.push(refundKey(commit.streamId, data.refundId));
      requires.push(creditKey(commit.streamId, data.orderId));
    }
  }
  return { claims, requires: requires.filter((key) => !claims.includes(key)) };
}
