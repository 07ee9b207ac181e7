/**
 * The read side declared once: the event-schema registry derives from the entities and the
 * projections' sources, a store of an undeclared entity is a type error, and projections that
 * would write over each other are refused at load.
 */
import {
  declaredEntity,
  defineEntity,
  defineProjection,
  defineReadSide,
  eventSchemasOf,
  InMemoryReadModelStore,
  projectionStatuses,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';
import { counterEntity } from '../support/counterEntity.ts';
import { perNote, tallies } from '../support/readModelStoreContract.ts';

const note = defineEntity<
  { text: string },
  { type: 'Write'; data: { text: string } },
  { type: 'Written'; data: { text: string } }
>({
  type: 'Note',
  initialState: () => ({ text: '' }),
  decide: (command) => ({ type: 'Written', data: command.data }),
  evolve: (_state, event) => ({ text: event.data.text }),
  events: { Written: { version: 2, upcasters: { 1: (data) => data } } },
});

describe('defineReadSide', () => {
  it("registers the declared entities and the projections' sources", () => {
    const readSide = defineReadSide({ entities: [note], projections: [tallies, perNote] });
    expect(readSide.eventSchemas).toEqual({
      Note: note.events,
      Counter: tallies.source.events,
    });
  });

  it('refuses two definitions of one entity type', () => {
    expect(() => eventSchemasOf([tallies.source, counterEntity()])).toThrow(/declared twice/);
    expect(eventSchemasOf([tallies.source, tallies.source])).toEqual({
      Counter: tallies.source.events,
    });
  });

  it('refuses projections sharing a name or whose prefixes overlap', () => {
    const twin = defineProjection(tallies.source).document({
      ...{ name: 'tallies', keyPrefix: 'Other#' },
      keyOf: () => undefined,
      evolve: () => ({}),
    });
    expect(() => defineReadSide({ entities: [], projections: [tallies, twin] })).toThrow(/name/);
    const inside = defineProjection(tallies.source).document({
      name: 'inside',
      keyPrefix: `${tallies.keyPrefix}More#`,
      keyOf: () => undefined,
      evolve: () => ({}),
    });
    expect(() => defineReadSide({ entities: [], projections: [tallies, inside] })).toThrow(
      /covers/,
    );
  });

  it('reports every projection, zeros for those that have not run', async () => {
    const store = new InMemoryReadModelStore();
    await store.recordStatus('Projection', 'perNote', { processed: 2, failed: 1, position: '9' });
    expect(await projectionStatuses(store, [tallies, perNote])).toEqual([
      { name: 'tallies', processed: 0, failed: 0 },
      { name: 'perNote', position: '9', processed: 2, failed: 1 },
    ]);
  });
});

describe('declaredEntity', () => {
  const entities = [note] as const;

  it('passes a declared entity through', () => {
    expect(declaredEntity(entities, note)).toBe(note);
  });

  it('makes an undeclared entity a type error, and an error at load behind a cast', () => {
    const counter = tallies.source;
    // @ts-expect-error Counter is not among the declared entities.
    expect(() => declaredEntity(entities, counter)).toThrow(/not among the declared entities/);
  });
});
