/**
 * Commit ↔ DynamoDB item. Event payloads, snapshots and replies are stored as JSON strings: one
 * attribute each, cheap to marshal, and exactly the bytes the item-size check counts.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  Commit,
  RecentKey,
  Refusal,
  StateRecord,
  StoredEvent,
  StoredSnapshot,
  StoredSpill,
} from '@coffee-es/core';
import { CorruptRecordError } from '@coffee-es/core';

export type Item = Record<string, AttributeValue>;

/**
 * Attribute names of the journal table. Short: every byte of a name is paid on every write.
 * @internal
 */
export const attr = {
  pk: 'pk',
  sk: 'sk',
  kind: 'kind',
  entityType: 'et',
  to: 'to',
  events: 'ev',
  recordedAt: 'at',
  commandId: 'cmd',
  correlationId: 'corr',
  causationId: 'caus',
  idempotencyKey: 'ik',
  fingerprint: 'fp',
  reply: 'rep',
  snapshot: 'snap',
  snapshotVersion: 'sv',
  /** When an operator wrote the snapshot onto the commit afterwards (`snapshots backfill`). */
  snapshotBackfilledAt: 'sbf',
  tags: 'tags',
  refusals: 'rf',
  /** Set on a stream's first commit only: the sparse index that lists streams by type. */
  firstOfType: 'first',
  revision: 'rev',
  state: 'st',
  expiresAt: 'expiresAt',
  writeId: 'wid',
} as const;

export const itemKind = { commit: 'commit', state: 'state', note: 'note' } as const;

/** Sort key of a durable-state item (event positions start at 1). */
export const stateSortKey = 0;

interface EventJson {
  t: string;
  v: number;
  d: unknown;
}

interface SnapshotJson {
  s: unknown;
  k: RecentKey[];
  /** Spilled keys (absent when none). */
  x?: StoredSpill[];
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * The journal item of a commit.
 * @internal
 */
export function commitToItem(commit: Commit): Item {
  const item: Item = {
    [attr.pk]: s(commit.streamId),
    [attr.sk]: n(commit.from),
    [attr.kind]: s(itemKind.commit),
    [attr.entityType]: s(commit.entityType),
    [attr.to]: n(commit.to),
    [attr.events]: s(
      JSON.stringify(
        commit.events.map((e): EventJson => ({ t: e.type, v: e.schemaVersion, d: e.data })),
      ),
    ),
    [attr.recordedAt]: s(commit.recordedAt),
    [attr.commandId]: s(commit.commandId),
  };
  if (commit.from === 1) item[attr.firstOfType] = s(commit.entityType);
  if (commit.correlationId !== undefined) item[attr.correlationId] = s(commit.correlationId);
  if (commit.causationId !== undefined) item[attr.causationId] = s(commit.causationId);
  if (commit.idempotencyKey !== undefined) item[attr.idempotencyKey] = s(commit.idempotencyKey);
  if (commit.fingerprint !== undefined) item[attr.fingerprint] = s(commit.fingerprint);
  if (commit.reply !== undefined) item[attr.reply] = s(JSON.stringify(commit.reply));
  if (commit.refusals !== undefined && commit.refusals.length > 0)
    item[attr.refusals] = s(JSON.stringify(commit.refusals));
  if (commit.tags !== undefined && commit.tags.length > 0)
    item[attr.tags] = { SS: [...new Set(commit.tags)] };
  if (commit.snapshot) Object.assign(item, snapshotAttributes(commit.snapshot));
  return item;
}

/**
 * The attributes a snapshot takes on its commit's item.
 * @internal
 */
export function snapshotAttributes(snapshot: StoredSnapshot): Item {
  const { state, recentKeys, spilledKeys } = snapshot;
  const json: SnapshotJson = {
    s: state,
    k: [...recentKeys],
    ...(spilledKeys && spilledKeys.length > 0 ? { x: [...spilledKeys] } : {}),
  };
  return {
    [attr.snapshot]: s(JSON.stringify(json)),
    [attr.snapshotVersion]: n(snapshot.schemaVersion),
  };
}

export function isCommitItem(item: Item): boolean {
  return item[attr.kind]?.S === itemKind.commit;
}

/**
 * The commit a journal item holds; a malformed item throws `CorruptRecordError`.
 * @internal
 */
export function itemToCommit(item: Item): Commit {
  const streamId = str(item, attr.pk, 'journal item');
  const where = `${streamId}@${item[attr.sk]?.N ?? '?'}`;
  const from = num(item, attr.sk, where);
  const events = parse<EventJson[]>(str(item, attr.events, where), where).map(
    (e): StoredEvent => ({ type: e.t, schemaVersion: e.v, data: e.d }),
  );
  const snapshotJson = item[attr.snapshot]?.S;
  const snapshot =
    snapshotJson === undefined ? undefined : parse<SnapshotJson>(snapshotJson, where);
  const optional = (name: string) => item[name]?.S;
  const correlationId = optional(attr.correlationId);
  const causationId = optional(attr.causationId);
  const idempotencyKey = optional(attr.idempotencyKey);
  const fingerprint = optional(attr.fingerprint);
  const reply = optional(attr.reply);
  const tags = item[attr.tags]?.SS;
  const refusals = optional(attr.refusals);
  return {
    streamId,
    entityType: str(item, attr.entityType, where),
    from,
    to: num(item, attr.to, where),
    events,
    recordedAt: str(item, attr.recordedAt, where),
    commandId: str(item, attr.commandId, where),
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(causationId === undefined ? {} : { causationId }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    ...(fingerprint === undefined ? {} : { fingerprint }),
    ...(reply === undefined ? {} : { reply: parse<unknown>(reply, where) }),
    ...(tags === undefined ? {} : { tags }),
    ...(refusals === undefined ? {} : { refusals: parse<Refusal[]>(refusals, where) }),
    ...(snapshot === undefined
      ? {}
      : {
          snapshot: {
            schemaVersion: num(item, attr.snapshotVersion, where),
            state: snapshot.s,
            recentKeys: snapshot.k,
            ...(snapshot.x === undefined ? {} : { spilledKeys: snapshot.x }),
          },
        }),
  };
}

/**
 * The journal item of a durable-state record.
 * @internal
 */
export function stateToItem(record: StateRecord): Item {
  const item: Item = {
    [attr.pk]: s(record.key),
    [attr.sk]: n(stateSortKey),
    [attr.kind]: s(itemKind.state),
    [attr.entityType]: s(record.entityType),
    [attr.revision]: n(record.revision),
    [attr.state]: s(JSON.stringify(record.state)),
    [attr.snapshotVersion]: n(record.schemaVersion),
    [attr.recordedAt]: s(record.updatedAt),
  };
  if (record.writeId !== undefined) item[attr.writeId] = s(record.writeId);
  return item;
}

export function itemToState(item: Item): StateRecord {
  const key = str(item, attr.pk, 'state item');
  const writeId = item[attr.writeId]?.S;
  return {
    key,
    entityType: str(item, attr.entityType, key),
    revision: num(item, attr.revision, key),
    state: parse<unknown>(str(item, attr.state, key), key),
    schemaVersion: num(item, attr.snapshotVersion, key),
    updatedAt: str(item, attr.recordedAt, key),
    ...(writeId === undefined ? {} : { writeId }),
  };
}

function str(item: Item, name: string, where: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new CorruptRecordError(where, `attribute ${name} is missing`);
  return value;
}

function num(item: Item, name: string, where: string): number {
  const value = Number(item[name]?.N);
  if (!Number.isSafeInteger(value))
    throw new CorruptRecordError(where, `attribute ${name} is not an integer`);
  return value;
}

function parse<T>(json: string, where: string): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    throw new CorruptRecordError(where, 'a JSON attribute does not parse');
  }
}
