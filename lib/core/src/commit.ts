import type { CommandRun } from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { type EntityImage, keyHashOf, shouldSnapshot, snapshotOf } from './image.ts';
import { epochSeconds, type KeyPolicy, trimKeys, withKey } from './keyMemory.ts';
import type { Commit, Refusal } from './ports.ts';

/** The commit that takes `image` to `state` by `events`, with a snapshot when the policy says. */
export function buildCommit<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  image: EntityImage<S>,
  state: S,
  events: readonly E[],
  run: CommandRun<C, S, E, unknown> & {
    recordedAt: string;
    reply: unknown;
    keyPolicy: KeyPolicy;
    /** Refusals noted at this position, carried forward. */
    refusals?: readonly Refusal[];
  },
): Commit {
  const from = image.version + 1;
  const to = image.version + events.length;
  const schemas: Readonly<Record<string, { version: number }>> = entity.events;
  const { options } = run;
  const snapshot = shouldSnapshot(entity, state, from, to);
  let keys = image.keys;
  if (snapshot) {
    const at = epochSeconds(run.recordedAt);
    for (const refusal of run.refusals ?? []) {
      keys = withKey(keys, keyHashOf(refusal.key), { position: from, at: refusal.at });
    }
    if (run.keyHash !== undefined) keys = withKey(keys, run.keyHash, { position: from, at });
    keys = trimKeys(keys, at, run.keyPolicy);
  }
  return {
    streamId: run.streamId,
    entityType: entity.type,
    from,
    to,
    events: events.map((event) => ({
      type: event.type,
      schemaVersion: schemas[event.type]?.version ?? 1,
      data: event.data,
    })),
    recordedAt: run.recordedAt,
    commandId: run.commandId,
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    ...(options.tags === undefined ? {} : { tags: options.tags }),
    ...(options.idempotencyKey === undefined
      ? {}
      : {
          idempotencyKey: options.idempotencyKey,
          ...(run.commandPrint === undefined ? {} : { fingerprint: run.commandPrint }),
          ...(run.reply === undefined ? {} : { reply: run.reply }),
        }),
    ...(run.refusals && run.refusals.length > 0 ? { refusals: run.refusals } : {}),
    ...(snapshot ? { snapshot: snapshotOf(entity, state, keys) } : {}),
  };
}
