/**
 * Items compared as values: attribute order is DynamoDB's business, and a string set has no
 * order, so two items are equal when their canonical JSON is (keys sorted, sets sorted).
 */
import type { RawItem } from './format.ts';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    entries.map(([k, v]) =>
      (k === 'SS' || k === 'NS') && Array.isArray(v) ? [k, [...v].sort()] : [k, canonical(v)],
    ),
  );
}

/** `<pk>@<sk>`: how a report names an item (a commit's sort key is its first position). */
export const itemName = (item: RawItem) => `${item.pk?.S ?? '?'}@${item.sk?.N ?? '?'}`;

/** The key of an item of the journal table. */
export const keyOf = (item: RawItem): RawItem => ({
  pk: item.pk ?? { S: '' },
  sk: item.sk ?? { N: '0' },
});
