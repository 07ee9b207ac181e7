/**
 * What `npm run generate` finds in the app's folders, by the shape of each module's exports:
 * the entities under functions/domain/, the projections under functions/projections/, the route
 * modules under functions/app/routes/. What is found is what is registered: adding an entity, a
 * projection or a route module is writing its file, with no list to edit beside it.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Route } from '@coffee-es/aws-lambda';

/** An export found: its module (relative to the repository) and name, and its value. */
export interface Found<T> {
  readonly file: string;
  readonly name: string;
  readonly value: T;
}

/** A route module: its routes (one group) and whether it names the makers its group uses. */
export interface RouteModule {
  readonly file: string;
  readonly group: string;
  /** The export holding the routes, and whether it is a function to call. */
  readonly routes: Found<readonly Route[]> & { readonly call: boolean };
  /** It exports `deps` (DepMakers): the makers its group's function is given, else `stores`. */
  readonly deps: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isEntity = (v: unknown) =>
  isRecord(v) &&
  typeof v.type === 'string' &&
  typeof v.decide === 'function' &&
  typeof v.evolve === 'function' &&
  typeof v.initialState === 'function';

const isProjection = (v: unknown) =>
  isRecord(v) &&
  typeof v.name === 'string' &&
  typeof v.keyPrefix === 'string' &&
  Array.isArray(v.entityTypes);

const isRoute = (v: unknown): v is Route =>
  isRecord(v) &&
  typeof v.method === 'string' &&
  typeof v.path === 'string' &&
  typeof v.handle === 'function';

async function modulesUnder(root: string, dir: string, skip: (file: string) => boolean) {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((file) => !skip(file))
    .sort();
  const modules: { file: string; exports: Record<string, unknown> }[] = [];
  for (const file of files) {
    modules.push({ file, exports: await import(pathToFileURL(join(root, file)).href) });
  }
  return modules;
}

/** Every value of `dir`'s modules that `is` accepts, each once (at its first, shortest path). */
async function exportsUnder<T>(
  root: string,
  dir: string,
  is: (value: unknown) => boolean,
  skip: (file: string) => boolean = () => false,
): Promise<Found<T>[]> {
  const modules = await modulesUnder(root, dir, skip);
  modules.sort((a, b) => a.file.length - b.file.length || a.file.localeCompare(b.file));
  const found = new Map<unknown, Found<T>>();
  for (const { file, exports } of modules) {
    for (const [name, value] of Object.entries(exports)) {
      if (is(value) && !found.has(value)) found.set(value, { file, name, value: value as T });
    }
  }
  return [...found.values()].sort((a, b) => a.file.localeCompare(b.file));
}

const generated = (file: string) => file.includes('/generated/');

export const findEntities = (root: string) =>
  exportsUnder<{ readonly type: string }>(root, 'functions/domain', isEntity);

export const findProjections = (root: string) =>
  exportsUnder<{ readonly name: string }>(
    root,
    'functions/projections',
    isProjection,
    (file) => file.endsWith('/index.ts') || generated(file),
  );

/** The route modules: each exports `<name>Routes`, an array of routes or a function making one. */
export async function findRouteModules(root: string): Promise<RouteModule[]> {
  const modules = await modulesUnder(root, 'functions/app/routes', generated);
  const found: RouteModule[] = [];
  for (const { file, exports } of modules) {
    const routeExports = Object.entries(exports).filter(([name]) => /^[a-z]\w*Routes$/.test(name));
    if (routeExports.length === 0) continue;
    if (routeExports.length > 1) throw new Error(`${file}: one *Routes export per route module`);
    const [name, exported] = routeExports[0] as [string, unknown];
    const call = typeof exported === 'function';
    const value = call ? (exported as () => unknown)() : exported;
    if (!Array.isArray(value) || value.length === 0 || !value.every(isRoute)) {
      throw new Error(`${file}: ${name} is not a non-empty list of routes`);
    }
    const groups = [...new Set(value.map((route) => route.group))];
    if (groups.length !== 1) throw new Error(`${file}: routes of groups ${groups.join(', ')}`);
    found.push({
      file,
      group: groups[0] as string,
      routes: { file, name, value, call },
      deps: 'deps' in exports,
    });
  }
  return found;
}
