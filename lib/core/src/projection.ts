/**
 * Projections: pure functions from events to read-model changes. Two shapes cover what read
 * models need, and each has an idempotent write the adapters implement:
 *
 * - a **document** projection keeps one document per source stream (an order in a customer's
 *   history, a slot's availability) and evolves it event by event; the document remembers the
 *   last stream position it applied, so a redelivery is skipped and a gap waits for its turn;
 * - a **counter** projection adds numbers to aggregates across streams (daily sales); each event
 *   adds exactly once, guarded by a marker per (stream id, position).
 */
import type { DomainEvent } from './entity.ts';
import { FrameworkError } from './errors.ts';
import type { RecordedEvent } from './upcast.ts';

/** Where a read-model item lives. */
export interface ReadModelKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * An event as projections see it: upcast, with its stream, position and entity type. Given an
 * entity's event union it is a union too, so a `switch` on `type` narrows `data`.
 */
export type ProjectedEvent<E extends DomainEvent = DomainEvent> = E extends DomainEvent
  ? RecordedEvent<E> & { readonly entityType: string }
  : never;

/** What a document holds: plain JSON-able fields (names starting with `_` are reserved). */
export type Document = Record<string, unknown>;

/**
 * A projection that keeps one document per source stream, evolved event by event; the document
 * remembers the last position it applied, so a redelivery is skipped.
 */
export interface DocumentProjection<D extends Document = Document> {
  readonly kind: 'document';
  readonly name: string;
  /** Entity types whose events this projection reads (a rebuild scans only these). */
  readonly entityTypes: readonly string[];
  /** Prefix of every partition key this projection writes (a rebuild drops these). */
  readonly keyPrefix: string;
  /**
   * The document an event changes, or undefined to ignore the event. All events of one stream
   * must map to the same document, or all to none: the document tracks the stream's position.
   */
  keyOf(event: ProjectedEvent): ReadModelKey | undefined;
  evolve(document: D | undefined, event: ProjectedEvent): D;
}

/** What one event adds to one counter aggregate. */
export interface CounterChange {
  readonly key: ReadModelKey;
  /** Numbers added to the aggregate (negative to subtract). */
  readonly add: Readonly<Record<string, number>>;
  /** Fields set on the aggregate (the same on every event, such as its branch and date). */
  readonly set?: Readonly<Record<string, string | number>>;
}

/**
 * A projection that adds numbers to aggregates across streams (daily sales, say); each event
 * adds exactly once, guarded by a marker per (stream id, position).
 */
export interface CounterProjection {
  readonly kind: 'counter';
  readonly name: string;
  readonly entityTypes: readonly string[];
  readonly keyPrefix: string;
  /** The aggregates an event adds to (usually zero or one). */
  changesOf(event: ProjectedEvent): readonly CounterChange[];
}

/** Any projection: what a projector, a rebuild or the read-model writer take. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds documents of any shape.
export type Projection = DocumentProjection<any> | CounterProjection;

/**
 * Declares a document projection.
 *
 * @example
 * ```ts
 * const availability = documentProjection<SlotDoc>({
 *   name: 'availability', entityTypes: ['Slot'], keyPrefix: 'Slots#',
 *   keyOf: (e) => ({ pk: `Slots#${branchOf(e.streamId)}`, sk: slotOf(e.streamId) }),
 *   evolve: (doc, e) => ...,
 * });
 * ```
 */
export function documentProjection<D extends Document>(
  spec: Omit<DocumentProjection<D>, 'kind'>,
): DocumentProjection<D> {
  return { kind: 'document', ...spec };
}

/**
 * Declares a counter projection.
 *
 * @example
 * ```ts
 * const dailySales = counterProjection({
 *   name: 'dailySales', entityTypes: ['Order'], keyPrefix: 'Sales#',
 *   changesOf: (e) => e.type === 'OrderPaid'
 *     ? [{ key: { pk: `Sales#${branchOf(e)}`, sk: dayOf(e) }, add: { revenue: amountOf(e) } }]
 *     : [],
 * });
 * ```
 */
export function counterProjection(spec: Omit<CounterProjection, 'kind'>): CounterProjection {
  return { kind: 'counter', ...spec };
}

/** Raised when a projection's own rules are broken (a programming error, not a data error). */
export class ProjectionDefinitionError extends Error {
  readonly code = 'projection-definition';
  constructor(projection: string, message: string) {
    super(`Projection ${projection}: ${message}`);
    this.name = 'ProjectionDefinitionError';
  }
}

/** The document a commit changes, with the commit's events, or undefined when it changes none. */
export function documentKeyOf(
  projection: DocumentProjection,
  events: readonly ProjectedEvent[],
): ReadModelKey | undefined {
  const keys = events.map((event) => projection.keyOf(event));
  const first = keys[0];
  const same = (k: ReadModelKey | undefined) =>
    k === first ||
    (k !== undefined && first !== undefined && k.pk === first.pk && k.sk === first.sk);
  if (!keys.every(same)) {
    const where = `${events[0]?.streamId}@${events[0]?.position}`;
    throw new ProjectionDefinitionError(projection.name, `events of ${where} map to two documents`);
  }
  return first;
}

/** A commit's place in its stream: the positions of its first and last events. */
export interface CommitSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * Exactly once and in order: of the commits of one stream (oldest first), those a document at
 * `position` can take now (the run that continues right after it), and the first commit that
 * must wait because earlier ones are missing. Commits it already holds are left out.
 */
export function contiguousRun<C extends CommitSpan>(
  position: number,
  commits: readonly C[],
): { readonly run: readonly C[]; readonly gapAt?: C } {
  const pending = commits.filter((c) => c.to > position);
  const run: C[] = [];
  let expected = position + 1;
  for (const commit of pending) {
    if (commit.from !== expected) return { run, gapAt: commit };
    run.push(commit);
    expected = commit.to + 1;
  }
  return { run };
}

/** Raised when a document's earlier events have not arrived yet: retry the record later. */
export class ProjectionGapError extends FrameworkError {
  readonly code = 'projection-gap';
  /** The same record passes once the earlier events are projected. */
  override readonly retryable = true;
  constructor(
    readonly projection: string,
    readonly streamId: string,
    readonly documentPosition: number,
    readonly from: number,
  ) {
    super(
      `Projection ${projection}: ${streamId} is at ${documentPosition} in the read model, the commit starts at ${from}`,
    );
    this.name = 'ProjectionGapError';
  }
}
