/** Declared rejections: the codes an entity may refuse with are typed, and carry their kind. */
import {
  CommandRejectedError,
  type Decision,
  declareRejections,
  defineEntity,
  EntityStore,
  InMemoryJournal,
  type RejectionDeclarations,
  reject,
  rejectionKindOf,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const lockerRejections = {
  'locker-not-found': 'not-found',
  'key-not-found': 'reference-not-found',
  'locker-full': 'conflict',
} as const satisfies RejectionDeclarations;
type LockerRejection = keyof typeof lockerRejections;

type LockerCommand = { type: 'Put'; data: { items: number } };
type LockerEvent = { type: 'Put'; data: { items: number } };

const locker = defineEntity<{ items: number }, LockerCommand, LockerEvent, LockerRejection>({
  type: 'Locker',
  initialState: () => ({ items: 0 }),
  evolve: (state, event) => ({ items: state.items + event.data.items }),
  decide: (command, state) =>
    state.items + command.data.items > 3
      ? reject('locker-full', 'No room left')
      : { type: 'Put', data: command.data },
  events: { Put: { version: 1 } },
  rejections: lockerRejections,
});

describe('rejection declarations', () => {
  it('refuses at compile time a code the entity does not declare', () => {
    const decide = (items: number): Decision<LockerEvent, LockerRejection> =>
      // @ts-expect-error: 'locker-ful' is not one of the locker's declared codes
      items > 3 ? reject('locker-ful', 'typo') : { type: 'Put', data: { items } };
    const typed = declareRejections(lockerRejections);
    // @ts-expect-error: the declared `reject` accepts only declared codes
    const typo = typed.reject('lock-full', 'typo');
    expect(decide(1)).toEqual({ type: 'Put', data: { items: 1 } });
    expect(typo.code).toBe('lock-full');
    expect(typed.reject('locker-full', 'No room').code).toBe('locker-full');
    defineEntity({
      type: 'Typo',
      initialState: () => ({}),
      evolve: (state) => state,
      // @ts-expect-error: an inferred entity checks decide's codes against its declarations
      decide: () => reject('undeclared', 'no such code'),
      events: {},
      rejections: { declared: 'conflict' },
    });
  });

  it('gives the declared kind, and the conflict kind to a code nobody declared', () => {
    expect(rejectionKindOf(lockerRejections, 'locker-not-found')).toBe('not-found');
    expect(rejectionKindOf(lockerRejections, 'key-not-found')).toBe('reference-not-found');
    expect(rejectionKindOf(lockerRejections, 'locker-full')).toBe('conflict');
    expect(rejectionKindOf(lockerRejections, 'mystery')).toBe('conflict');
    // A code that is an inherited property name is not declared.
    expect(rejectionKindOf(lockerRejections, 'toString')).toBe('conflict');
    expect(rejectionKindOf(undefined, 'locker-not-found')).toBe('conflict');
  });

  it("refuses from decide and from a guard with the code's declared kind", async () => {
    const store = new EntityStore(locker, { journal: new InMemoryJournal() });
    await store.execute('l1', { type: 'Put', data: { items: 3 } });
    const full = await store.execute('l1', { type: 'Put', data: { items: 1 } }).catch((e) => e);
    expect(full).toBeInstanceOf(CommandRejectedError);
    expect(full).toMatchObject({ code: 'locker-full', rejectionKind: 'conflict' });
    const noKey = await store
      .execute(
        'l2',
        { type: 'Put', data: { items: 1 } },
        { guard: () => reject('key-not-found', 'No such key') },
      )
      .catch((e) => e);
    expect(noKey).toMatchObject({ code: 'key-not-found', rejectionKind: 'reference-not-found' });
    // The guard's refusal appended nothing.
    expect(await store.get('l2', { consistent: true })).toBeUndefined();
  });
});
