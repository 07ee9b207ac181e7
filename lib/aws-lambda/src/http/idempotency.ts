/**
 * What a keyed request keeps beyond its commit: the answer to a refusal (a 4xx), replayed to a
 * repeat of the key. The entity store keeps it in a note at the entity's next position.
 */
import { problemOf } from './problem.ts';

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly etag?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Refusals a repeat must get again; conflicts and key reuse are not answers to keep. */
const notKept = new Set(['idempotency-key-reused', 'concurrent-modification']);

/** The answer to keep for a keyed request that `error` refused, or undefined to keep none. */
export function refusalAnswer(error: unknown): StoredAnswer | undefined {
  const problem = problemOf(error);
  if (!problem || problem.status >= 500 || notKept.has(problem.code)) return undefined;
  return {
    status: problem.status,
    body: problem.body,
    ...(Object.keys(problem.headers).length > 0 ? { headers: problem.headers } : {}),
  };
}
