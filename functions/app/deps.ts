/**
 * The app's dependencies, built once per container from the parsed configuration: clients,
 * entity stores, the durable-state store and the read models. `createDeps` makes all of them
 * (for specs that use every store at once); a route group's function composes only those its
 * routes use from the makers in deps/ (see functions/handlers/http/).
 */
import type { AppConfig } from './config.ts';
import type { AppDeps } from './deps/appDeps.ts';
import { branches } from './deps/branches.ts';
import { type DepMakers, depsOf } from './deps/compose.ts';
import { stores } from './deps/entityStores.ts';
import { known } from './deps/known.ts';
import { readModels } from './deps/readModels.ts';

export type { AppDeps } from './deps/appDeps.ts';

/** The makers of every dependency. */
export const everyDep: DepMakers = { stores, branches, known, readModels };

/** Every dependency, each built on first use (a table is asked for only when used). */
export function createDeps(config: AppConfig, client?: Parameters<typeof depsOf>[2]): AppDeps {
  return depsOf(config, everyDep, client);
}
