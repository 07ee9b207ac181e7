/**
 * What the console's stream browser reads: a stream's events, upcast, with their positions and
 * command metadata, and the entity's state at any of its positions (its `evolve` folded from the
 * initial state up to there). Reads the journal through the core's `Journal` port.
 */
import {
  type Commit,
  type DomainEvent,
  type EventSource,
  type Journal,
  type RecordedEvent,
  streamIdOf,
  upcast,
} from '@coffee-es/core';

/** An event of the audit trail: upcast data, its position, and the command that wrote it. */
export interface TrailEvent extends RecordedEvent {
  readonly commandId: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly tags?: readonly string[];
}

/** An entity the read side declares, with what folding it needs when it has them. */
type FoldableSource = EventSource & {
  readonly initialState?: () => unknown;
  readonly evolve?: (state: unknown, event: DomainEvent) => unknown;
};

const pageSize = 100;

/** Every event of a stream after `after`, oldest first, at most `limit`. */
export async function readTrail(
  journal: Journal,
  source: EventSource,
  entityId: string,
  options: { readonly after?: number; readonly limit?: number } = {},
): Promise<TrailEvent[]> {
  const streamId = streamIdOf(source.type, entityId);
  const after = options.after ?? 0;
  const limit = options.limit ?? 1000;
  const trail: TrailEvent[] = [];
  for await (const commit of commitsOf(journal, streamId, after)) {
    trail.push(...trailOf(source, commit).filter((e) => e.position > after));
    if (trail.length >= limit) break;
  }
  return trail.slice(0, limit);
}

/** The stream's commits from the one holding position `after + 1` on, page by page. */
async function* commitsOf(journal: Journal, streamId: string, after: number) {
  // A commit may straddle `after`: start from the one that holds the next position.
  const first = after > 0 ? await journal.readContaining(streamId, after + 1) : undefined;
  if (first) yield first;
  let next = first ? first.to : after;
  for (;;) {
    const page = await journal.readAfter(streamId, next, { limit: pageSize, consistent: true });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    next = last.to;
  }
}

/** A commit's events, upcast, with their positions and the command's metadata. */
function trailOf(source: EventSource, commit: Commit): TrailEvent[] {
  return commit.events.map((stored, i) => {
    const position = commit.from + i;
    const event = upcast(source.events, commit.streamId, position, stored);
    return {
      streamId: commit.streamId,
      position,
      type: event.type,
      schemaVersion: source.events[stored.type]?.version ?? stored.schemaVersion,
      data: event.data,
      recordedAt: commit.recordedAt,
      ...metadataOf(commit),
    };
  });
}

const metadataOf = (commit: Commit) => ({
  commandId: commit.commandId,
  ...(commit.correlationId === undefined ? {} : { correlationId: commit.correlationId }),
  ...(commit.causationId === undefined ? {} : { causationId: commit.causationId }),
  ...(commit.tags === undefined ? {} : { tags: commit.tags }),
});

/** Whether the entity can be folded (it brings `initialState` and `evolve`). */
export const canFold = (source: EventSource): boolean => {
  const s = source as FoldableSource;
  return typeof s.initialState === 'function' && typeof s.evolve === 'function';
};

/**
 * The state after `position` (the latest when absent): the entity's `evolve` folded over its
 * upcast events from the initial state. `undefined` when the stream has no event there.
 */
export async function stateAt(
  journal: Journal,
  source: EventSource,
  entityId: string,
  position?: number,
): Promise<{ readonly position: number; readonly state: unknown } | undefined> {
  const s = source as FoldableSource;
  if (!s.initialState || !s.evolve) throw new TypeError(`${source.type} has no evolve to fold`);
  const events = await readTrail(journal, source, entityId, {
    limit: position ?? Number.POSITIVE_INFINITY,
  });
  if (events.length === 0 || (position !== undefined && events.length < position)) {
    return undefined;
  }
  let state = s.initialState();
  for (const event of events) state = s.evolve(state, { type: event.type, data: event.data });
  return { position: events.length, state };
}

/** One page of the ids of an entity type's streams. */
export async function listIds(journal: Journal, entityType: string, limit = 50): Promise<string[]> {
  const ids: string[] = [];
  let cursor: Parameters<Journal['listStreams']>[1];
  do {
    const page = await journal.listStreams(entityType, cursor);
    ids.push(...page.streamIds.map((id) => id.slice(entityType.length + 1)));
    cursor = page.next;
  } while (cursor !== undefined && ids.length < limit);
  return ids.slice(0, limit);
}
