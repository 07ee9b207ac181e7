/** A small entity for framework tests: a counter that cannot go below zero. */
import { defineEntity, reject } from '@coffee-es/core';

export interface CounterState {
  readonly count: number;
  readonly log: readonly string[];
}

export type CounterCommand =
  | { type: 'Increment'; data: { by: number; note?: string } }
  | { type: 'Decrement'; data: { by: number } }
  | { type: 'IncrementTwice'; data: { by: number } }
  | { type: 'Touch'; data: Record<string, never> };

export type CounterEvent =
  | { type: 'Incremented'; data: { by: number; note?: string } }
  | { type: 'Decremented'; data: { by: number } };

export function counterEntity(options: { snapshotEvery?: number; schemaVersion?: number } = {}) {
  return defineEntity<CounterState, CounterCommand, CounterEvent>({
    type: 'Counter',
    initialState: () => ({ count: 0, log: [] }),
    evolve: (state, event) => {
      switch (event.type) {
        case 'Incremented':
          return { count: state.count + event.data.by, log: state.log };
        case 'Decremented':
          return { count: state.count - event.data.by, log: state.log };
      }
    },
    decide: (command, state) => {
      switch (command.type) {
        case 'Increment':
          return { type: 'Incremented', data: command.data };
        case 'IncrementTwice':
          return [
            { type: 'Incremented', data: { by: command.data.by } },
            { type: 'Incremented', data: { by: command.data.by } },
          ];
        case 'Decrement':
          return state.count < command.data.by
            ? reject('below-zero', 'The counter cannot go below zero', { count: state.count })
            : { type: 'Decremented', data: command.data };
        case 'Touch':
          return [];
      }
    },
    events: { Incremented: { version: 1 }, Decremented: { version: 1 } },
    snapshot: {
      every: options.snapshotEvery ?? 100,
      schemaVersion: options.schemaVersion ?? 1,
    },
  });
}
