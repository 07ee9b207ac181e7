import {
  contiguousRun,
  documentKeyOf,
  documentProjection,
  type ProjectedEvent,
  ProjectionDefinitionError,
} from '@coffee-es/core';
import { describe, expect, it } from 'vitest';

const span = (from: number, to = from) => ({ from, to });

describe('contiguousRun', () => {
  it('takes the commits right after the position, and stops at a gap', () => {
    expect(contiguousRun(0, [span(1), span(2, 3), span(4)])).toEqual({
      run: [span(1), span(2, 3), span(4)],
    });
    expect(contiguousRun(3, [span(1), span(2, 3), span(4), span(6)])).toEqual({
      run: [span(4)],
      gapAt: span(6),
    });
  });

  it('leaves out what the document holds already', () => {
    expect(contiguousRun(4, [span(1), span(2, 3), span(4)])).toEqual({ run: [] });
  });

  it('waits when the first missing commit has not arrived', () => {
    expect(contiguousRun(1, [span(3)])).toEqual({ run: [], gapAt: span(3) });
  });
});

describe('documentKeyOf', () => {
  const event = (streamId: string, data: unknown): ProjectedEvent => ({
    streamId,
    position: 1,
    type: 'T',
    schemaVersion: 1,
    data,
    recordedAt: '',
    entityType: 'E',
  });
  const projection = documentProjection({
    name: 'p',
    entityTypes: ['E'],
    keyPrefix: 'P#',
    keyOf: (e) => {
      const owner = (e.data as { owner?: string }).owner;
      return owner === undefined ? undefined : { pk: `P#${owner}`, sk: e.streamId };
    },
    evolve: (doc) => doc ?? {},
  });

  it('is the one document all events map to, or none', () => {
    expect(
      documentKeyOf(projection, [event('s', { owner: 'a' }), event('s', { owner: 'a' })]),
    ).toEqual({ pk: 'P#a', sk: 's' });
    expect(documentKeyOf(projection, [event('s', {}), event('s', {})])).toBeUndefined();
  });

  it('refuses a stream whose events map to two documents', () => {
    expect(() =>
      documentKeyOf(projection, [event('s', { owner: 'a' }), event('s', { owner: 'b' })]),
    ).toThrow(ProjectionDefinitionError);
  });
});
