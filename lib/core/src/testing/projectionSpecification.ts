/**
 * Given/then specifications for projections: the given events run through the same one pass the
 * projector uses (`applyDocument` / `applyCounters`) into an in-memory read-model store, and the
 * documents (or aggregates) they lead to are compared with the expected ones. No I/O, any runner.
 */
import type { ProjectionSource } from '../defineProjection.ts';
import type { DomainEvent } from '../entity.ts';
import type { DocumentCommit } from '../gapReader.ts';
import { InMemoryReadModelStore } from '../memory/inMemoryReadModelStore.ts';
import {
  type Document,
  documentKeyOf,
  type ProjectedEvent,
  type Projection,
  type ReadModelKey,
} from '../projection.ts';
import { applyCounters, applyDocument } from '../projectionRun.ts';
import { expectSame } from './sameData.ts';

const defaultRecordedAt = '2026-01-01T08:00:00.000Z';

/** A stream's id and its commits, one event each. */
type Stream = readonly [string, readonly DocumentCommit[]];

/** Events given to a projection specification: assert the document they make. */
export interface ProjectionGiven<E extends DomainEvent> {
  /** More events, in another stream (their positions start at 1 there). */
  andIn(streamId: string, ...events: E[]): ProjectionGiven<E>;
  /**
   * Asserts the documents the events lead to (for a counter projection: the aggregates they
   * add to), one per document, in the order the events first reach them.
   */
  then(...expected: Document[]): Promise<void>;
  /** Asserts that the events change no document and no aggregate. */
  thenNothing(): Promise<void>;
}

/** The stream id and recording time of a projection specification's events. */
export interface ProjectionSpecificationOptions {
  /** The stream of the given events. Default `<EntityType>#spec`. */
  readonly streamId?: string;
  /** When every given event was recorded. */
  readonly recordedAt?: string;
}

/**
 * A given/then specification of a projection: `given` events of one stream (recorded one per
 * commit), projected through an in-memory read-model store, `then` the document they make (or
 * `thenNothing`). A mismatch rejects with an assertion error, so any test runner reports it.
 *
 * @example
 * ```ts
 * await projectionSpecification(orderHistory, { streamId: 'Order#o1' })
 *   .given(placed, paid)
 *   .then({ orderId: 'o1', branchId: 'b1', status: 'paid', total: 900, placedAt });
 * ```
 */
export function projectionSpecification<E extends DomainEvent>(
  projection: Projection & ProjectionSource<E>,
  options: ProjectionSpecificationOptions = {},
): { given(...events: E[]): ProjectionGiven<E> } {
  const entityType = projection.source.type;
  const recordedAt = options.recordedAt ?? defaultRecordedAt;
  const toCommits = (streamId: string, events: readonly E[]): DocumentCommit[] =>
    events.map((event, i) => {
      const projected = {
        streamId,
        position: i + 1,
        type: event.type,
        schemaVersion: projection.source.events[event.type as E['type']]?.version ?? 1,
        data: event.data,
        recordedAt,
        entityType,
      } as ProjectedEvent;
      return { from: i + 1, to: i + 1, events: [projected] };
    });
  const given = (streams: readonly Stream[]): ProjectionGiven<E> => ({
    andIn: (streamId, ...events) => given([...streams, [streamId, toCommits(streamId, events)]]),
    // The kit reads `given(...).then(document)`, as specifications do; `given(...)` alone is
    // never awaited, so being thenable is harmless and intended.
    // biome-ignore lint/suspicious/noThenProperty: the given/then vocabulary of the test kit.
    async then(...expected) {
      expectSame(await documentsAfter(projection, streams), expected, 'other documents');
    },
    async thenNothing() {
      expectSame(
        await documentsAfter(projection, streams),
        [],
        'documents where none were expected',
      );
    },
  });
  return {
    given: (...events) => {
      const streamId = options.streamId ?? `${entityType}#spec`;
      return given([[streamId, toCommits(streamId, events)]]);
    },
  };
}

/** The documents (or aggregates) the streams lead to, in the order the events first reach them. */
async function documentsAfter(
  projection: Projection,
  streams: readonly Stream[],
): Promise<(Document | undefined)[]> {
  const store = new InMemoryReadModelStore();
  const keys: ReadModelKey[] = [];
  const note = (key: ReadModelKey | undefined) => {
    if (key && !keys.some((k) => k.pk === key.pk && k.sk === key.sk)) keys.push(key);
  };
  for (const [streamId, commits] of streams) {
    const events = commits.flatMap((c) => c.events);
    if (projection.kind === 'document') {
      note(documentKeyOf(projection, events));
      await applyDocument(store, projection, streamId, commits);
    } else {
      for (const change of events.flatMap((e) => projection.changesOf(e))) note(change.key);
      await applyCounters(store, projection, events);
    }
  }
  const items = await Promise.all(keys.map((key) => store.getItem(key)));
  return items.map((item) => item?.document);
}
