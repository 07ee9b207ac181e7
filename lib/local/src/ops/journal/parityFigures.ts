/**
 * What a parity report counts: per entity type, streams, events and the sums of the numeric
 * fields the app names (`parity` in its system module), and the items that differ.
 */
import { canonicalJson } from './canonical.ts';
import type { RawItem } from './format.ts';

/**
 * The numeric fields whose sums must match, per entity type and event type, as dotted paths
 * into the event's stored data (as written, before upcasting: both copies hold the same bytes).
 *
 * @example
 * ```ts
 * export const parity: ParityFields = {
 *   Order: { OrderPaid: ['amount'], OrderRefunded: ['amount'] },
 *   Customer: { CustomerPointsAdded: ['points'] },
 * };
 * ```
 */
export type ParityFields = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** One side's figures for one entity type. */
export interface TypeFigures {
  streams: number;
  events: number;
  /** By `<EventType>.<path>`. */
  sums: Record<string, number>;
}

/** Something that differs between the journal and its copy, named precisely. */
export interface Difference {
  readonly kind: 'missing' | 'extra' | 'altered' | 'figures';
  /** `<streamId>@<position>`, or the item's key, or the entity type for figures. */
  readonly where: string;
  readonly detail: string;
}

export const emptyFigures = (): TypeFigures => ({ streams: 0, events: 0, sums: {} });

interface StoredEventJson {
  readonly t: string;
  readonly d: unknown;
}

function valueAt(data: unknown, path: string): number {
  let value: unknown = data;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return 0;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Adds a stream's commit items to a side's figures. */
export function addStream(
  figures: TypeFigures,
  commits: readonly RawItem[],
  fields: Readonly<Record<string, readonly string[]>>,
): void {
  if (commits.length === 0) return;
  figures.streams++;
  for (const item of commits) {
    let events: StoredEventJson[] = [];
    try {
      events = JSON.parse(item.ev?.S ?? '[]') as StoredEventJson[];
    } catch {
      // An unreadable payload counts no events: the item comparison names it.
    }
    figures.events += events.length;
    for (const event of events) {
      for (const path of fields[event.t] ?? []) {
        const key = `${event.t}.${path}`;
        figures.sums[key] = (figures.sums[key] ?? 0) + valueAt(event.d, path);
      }
    }
  }
}

/** The attributes in which two items differ (`sk` and `pk` equal by construction). */
export function differingAttributes(a: RawItem, b: RawItem): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((name) => canonicalJson(a[name]) !== canonicalJson(b[name])).sort();
}

/** The figures of two sides that differ, as one line per type, or undefined when equal. */
export function figuresDiffer(source: TypeFigures, target: TypeFigures): string | undefined {
  const parts: string[] = [];
  if (source.streams !== target.streams)
    parts.push(`streams ${source.streams} ≠ ${target.streams}`);
  if (source.events !== target.events) parts.push(`events ${source.events} ≠ ${target.events}`);
  for (const key of new Set([...Object.keys(source.sums), ...Object.keys(target.sums)])) {
    const a = source.sums[key] ?? 0;
    const b = target.sums[key] ?? 0;
    if (a !== b) parts.push(`sum of ${key} ${a} ≠ ${b}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Whether a stream's payloads are compared item by item: a stable share of stream ids. */
export function sampled(streamId: string, fraction: number): boolean {
  if (fraction >= 1) return true;
  if (fraction <= 0) return false;
  let hash = 2166136261;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) / 2 ** 32 < fraction;
}
