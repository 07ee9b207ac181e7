/**
 * Given/when/then specifications for entities: no I/O, any test runner.
 *
 * @example
 * ```ts
 * const spec = specification(counter);
 * spec.given({ type: 'Incremented', data: { by: 2 } })
 *   .when({ type: 'Increment', data: { by: 3 } })
 *   .thenEmits({ type: 'Incremented', data: { by: 3 } });
 * spec.given().when({ type: 'Increment', data: { by: 0 } }).thenRejects('invalid-step');
 * ```
 */
import type { CommandMetadata, DomainCommand, DomainEvent, EntityDefinition } from '../entity.ts';
import { isRejection, type Rejection } from '../rejection.ts';
import { expectSame, expectThat } from './sameData.ts';

const defaultMetadata: CommandMetadata = {
  now: '2026-01-01T08:00:00.000Z',
  commandId: '01JTESTCOMMAND0000000000000',
};

/** What a command did in a specification, with assertions that chain. */
export interface Outcome<S, E extends DomainEvent> {
  /** Asserts that the command produced exactly these events, in order. */
  thenEmits(...expected: E[]): Outcome<S, E>;
  /** Asserts that the command was rejected with this code (and, if given, these details). */
  thenRejects(code: string, details?: Record<string, unknown>): Outcome<S, E>;
  /** Asserts on the state after the produced events were applied. */
  thenState(check: (state: S) => void): Outcome<S, E>;
  readonly events: readonly E[];
  readonly rejection: Rejection | undefined;
}

/** A history given to a specification: run a command on it with `when`. */
export interface Given<S, C extends DomainCommand, E extends DomainEvent> {
  when(command: C, metadata?: Partial<CommandMetadata>): Outcome<S, E>;
  /** The state the given events lead to. */
  readonly state: S;
}

/**
 * A given/when/then specification of an entity: `given` past events, `when` a command (with
 * fixed metadata unless given), then assert the events it emits, its rejection or the state.
 * The assertions throw `AssertionError` (node:assert), so any test runner reports them.
 *
 * @example
 * ```ts
 * specification(counter)
 *   .given({ type: 'Incremented', data: { by: 1, at: '2030-01-01T00:00:00Z' } })
 *   .when({ type: 'Increment', data: { by: 0 } })
 *   .thenRejects('invalid-step');
 * ```
 */
export function specification<S, C extends DomainCommand, E extends DomainEvent>(
  entity: EntityDefinition<S, C, E>,
): { given(...events: E[]): Given<S, C, E> } {
  return {
    given(...history) {
      const state = history.reduce(entity.evolve, entity.initialState());
      return {
        state,
        when(command, metadata) {
          const decision = entity.decide(command, state, { ...defaultMetadata, ...metadata });
          const rejection = isRejection(decision) ? decision : undefined;
          const events: readonly E[] = rejection
            ? []
            : Array.isArray(decision)
              ? decision
              : [decision as E];
          const outcome: Outcome<S, E> = {
            events,
            rejection,
            thenEmits(...expected) {
              expectThat(
                rejection === undefined,
                `expected events, got rejection ${rejection?.code}`,
              );
              expectSame(events, expected, 'the command emitted other events');
              return outcome;
            },
            thenRejects(code, details) {
              expectThat(
                rejection !== undefined,
                `expected rejection "${code}", got ${JSON.stringify(events)}`,
              );
              expectSame(rejection.code, code, 'the command was rejected with another code');
              if (details)
                expectSame(rejection.details, details, 'the rejection has other details');
              return outcome;
            },
            thenState(check) {
              check(events.reduce(entity.evolve, state));
              return outcome;
            },
          };
          return outcome;
        },
      };
    },
  };
}

export {
  type ProjectionGiven,
  type ProjectionSpecificationOptions,
  projectionSpecification,
} from './projectionSpecification.ts';
