import type { CommandRun } from './commands.ts';
import type { DomainCommand, DomainEvent, Entity } from './entity.ts';
import { type EntityImage, shouldSnapshot, snapshotOf } from './image.ts';
import type { Commit } from './ports.ts';

/** The commit that takes `image` to `state` by `events`, with a snapshot when the policy says. */
export function buildCommit<S, C extends DomainCommand, E extends DomainEvent>(
  entity: Entity<S, C, E>,
  image: EntityImage<S>,
  state: S,
  events: readonly E[],
  run: CommandRun<C, S, E, unknown> & { recordedAt: string; reply: unknown; window: number },
): Commit {
  const from = image.version + 1;
  const to = image.version + events.length;
  const schemas: Readonly<Record<string, { version: number }>> = entity.events;
  const { options } = run;
  const keys = new Map(image.keys);
  if (run.keyHash !== undefined) keys.set(run.keyHash, from);
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
    ...(shouldSnapshot(entity, state, from, to)
      ? { snapshot: snapshotOf(entity, state, keys, run.window) }
      : {}),
  };
}
