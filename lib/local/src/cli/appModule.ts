/**
 * The app a `coffee-es` command runs: a module exporting its `system` declaration (and, for
 * `rebuild` and `relay`, its projections and event schemas), loaded at run time. TypeScript goes
 * through tsx; JavaScript is imported as is.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemDeclaration } from '@coffee-es/aws-lambda';
import type { Entity, EventSchemasByType, Projection } from '@coffee-es/core';
import type { ParityFields } from '../ops/journal/parityFigures.ts';

/** An entity of any state, commands and events, as a system module lists them. */
// biome-ignore lint/suspicious/noExplicitAny: a list holds entities of every shape.
export type AnyEntity = Entity<any, any, any, any>;

/**
 * What a system module exports. Only `system` is required.
 *
 * @example
 * ```ts
 * // src/system.ts, named by package.json `"coffee-es": { "system": "src/system.ts" }`
 * export const system = defineSystem({ service: 'shop', tables, queues, routes, routeGroups });
 * export const projections = [cartTotals];
 * export const eventSchemas = { [cartEntity.type]: cartEntity.events };
 * export const entities = [cartEntity];
 * ```
 */
export interface AppModule {
  readonly system: SystemDeclaration<never>;
  /** What `coffee-es rebuild` can rebuild. Default: `system.readSide.projections`. */
  readonly projections?: readonly Projection[];
  /** How `rebuild` and `relay` read the journal's events. Default: `system.readSide.eventSchemas`. */
  readonly eventSchemas?: EventSchemasByType;
  /**
   * The app's event-sourced entities: `coffee-es state` folds their `evolve`, and
   * `snapshots backfill` writes their snapshots; their event schemas join `eventSchemas`.
   */
  readonly entities?: readonly AnyEntity[];
  /**
   * The numeric event fields whose sums `journal migrate` and `journal compare` check between
   * the journal and its copy (order totals, payments, refunds, points …), per entity type and
   * event type. Without it, the report still counts streams and events and compares items.
   */
  readonly parity?: ParityFields;
  /** More for `coffee-es start` to print once it listens: what to try. */
  readonly startBanner?: (url: string, auth: 'on' | 'off') => string;
}

/** `--system <module>` taken out of the arguments, and the rest. */
export function takeSystemFlag(args: readonly string[]): {
  readonly system: string | undefined;
  readonly rest: string[];
} {
  const rest: string[] = [];
  let system: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--system') {
      system = args[i + 1];
      if (system === undefined || system.startsWith('--'))
        throw new Error('--system needs a module');
      i++;
    } else if (arg.startsWith('--system=')) {
      system = arg.slice('--system='.length);
    } else {
      rest.push(arg);
    }
  }
  return { system, rest };
}

/** The module `--system` names, else the `coffee-es.system` field of `root`'s package.json. */
export async function systemModulePath(root: string, flag: string | undefined): Promise<string> {
  if (flag !== undefined) return resolve(root, flag);
  const manifest = await readFile(resolve(root, 'package.json'), 'utf8').catch(() => undefined);
  const field = manifest ? (JSON.parse(manifest) as { 'coffee-es'?: { system?: unknown } }) : {};
  const named = field['coffee-es']?.system;
  if (typeof named !== 'string') {
    throw new Error(
      `No system module: pass --system <module>, or set "coffee-es": { "system": "<module>" } in ${resolve(root, 'package.json')}`,
    );
  }
  return resolve(root, named);
}

let tsxRegistered = false;

/** Imports the system module; TypeScript (and the handlers it names) through tsx. */
export async function loadAppModule(path: string): Promise<AppModule> {
  if (/\.[cm]?tsx?$/.test(path) && !tsxRegistered) {
    const { register } = await import('tsx/esm/api');
    register();
    tsxRegistered = true;
  }
  const loaded = (await import(pathToFileURL(path).href)) as Partial<AppModule>;
  const system = loaded.system as Partial<SystemDeclaration<never>> | undefined;
  if (!system || typeof system.service !== 'string' || typeof system.tables !== 'object') {
    throw new Error(`${path} exports no \`system\` (a defineSystem declaration)`);
  }
  return loaded as AppModule;
}
