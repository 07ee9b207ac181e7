/**
 * Dependencies composed from makers, one module each (functions/app/deps/): a function imports
 * the makers of what it uses and no more, so that a route group's bundle carries no store, domain
 * or client it never asks for (the operations function: the read models alone).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { type AppConfig, required } from '../config.ts';
import type { AppDeps } from './appDeps.ts';

/** What the makers share: the configuration, one DynamoDB client, values made once. */
export interface DepsContext {
  readonly config: AppConfig;
  readonly client: DynamoDBClient;
  /** The journal's table name, asked for only by what uses the journal. */
  readonly journalTable: () => string;
  /** `make()` once per container under `key`, for what several makers share. */
  readonly shared: <T>(key: string, make: () => T) => T;
}

type Built = Exclude<keyof AppDeps, 'newId' | 'clock'>;

/** One dependency, from the context and the others (made on first use of each). */
export type DepMaker<K extends Built> = (context: DepsContext, deps: AppDeps) => AppDeps[K];

export type DepMakers = { readonly [K in Built]?: DepMaker<K> };

export function dynamoClientFor(config: Pick<AppConfig, 'AWS_REGION' | 'DYNAMODB_ENDPOINT'>) {
  return new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
  });
}

/**
 * The dependencies `makers` make, each on first use: a function whose route group does not
 * declare the journal (the operations group) never asks for JOURNAL_TABLE. One it was not given
 * fails on use, naming itself (a route served by a function that lacks what it needs).
 */
export function depsOf(
  config: AppConfig,
  makers: DepMakers,
  client = dynamoClientFor(config),
): AppDeps {
  const values = new Map<string, unknown>();
  const shared = <T>(key: string, make: () => T): T => {
    if (!values.has(key)) values.set(key, make());
    return values.get(key) as T;
  };
  const context: DepsContext = {
    config,
    client,
    journalTable: () => shared('journalTable', () => required(config, 'JOURNAL_TABLE')),
    shared,
  };
  const base = { newId: () => ulid(), clock: () => new Date() };
  // A dependency is made on first use; one the function was not given fails on use, naming
  // itself. No list of names to keep beside AppDeps: the makers given are the names.
  const deps: AppDeps = new Proxy(base as AppDeps, {
    get(target, name, receiver) {
      if (typeof name !== 'string' || name in target) return Reflect.get(target, name, receiver);
      const make = (makers as Record<string, DepMaker<Built> | undefined>)[name];
      if (!make) {
        // `then`: asked by await (a value is not awaited for a dependency); no dependency has it.
        if (name === 'then') return undefined;
        throw new Error(`This function was not given the dependency ${name}`);
      }
      return shared(`dep:${name}`, () => make(context, deps));
    },
  });
  return deps;
}
