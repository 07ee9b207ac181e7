/**
 * The text of each module `npm run generate` writes (before Biome formats it): the lists of
 * what was found, and one entry per route group, which imports only its own route module so
 * that its bundle holds no other group's code.
 */
import { dirname, relative } from 'node:path';
import type { Found, RouteModule } from './discover.ts';

const header = (what: string) =>
  `/** Written by \`npm run generate\` (scripts/generate/): ${what}. Do not edit. */\n`;

/** The import path of `file` from the module at `from` (both relative to the repository). */
const importPath = (from: string, file: string) => {
  const path = relative(dirname(from), file);
  return path.startsWith('.') ? path : `./${path}`;
};

function importsOf(from: string, found: readonly Found<unknown>[]): string {
  const byFile = new Map<string, string[]>();
  for (const { file, name } of found) byFile.set(file, [...(byFile.get(file) ?? []), name]);
  return [...byFile]
    .map(([file, names]) => `import { ${names.join(', ')} } from '${importPath(from, file)}';\n`)
    .join('');
}

export const entitiesFile = 'functions/app/generated/entities.ts';
export const projectionsFile = 'functions/app/generated/projections.ts';
export const routesFile = 'functions/app/generated/routes.ts';
export const entryOf = (group: string) => `functions/handlers/http/${group}.ts`;

export const entitiesText = (found: readonly Found<unknown>[]) =>
  `${header('every entity exported under functions/domain/')}${importsOf(entitiesFile, found)}
export const entities = [${found.map((f) => f.name).join(', ')}] as const;
`;

export const projectionsText = (found: readonly Found<unknown>[]) =>
  `${header('every projection exported under functions/projections/')}${importsOf(projectionsFile, found)}
export const projections = [${found.map((f) => f.name).join(', ')}] as const;
`;

export const routesText = (modules: readonly RouteModule[]) =>
  `${header('the routes of every module under functions/app/routes/')}import type { Route } from '@coffee-es/aws-lambda';
import type { AppDeps } from '../deps/appDeps.ts';
${importsOf(
  routesFile,
  modules.map((m) => m.routes),
)}
export const routes: readonly Route<AppDeps>[] = [
${modules.map((m) => `  ...${m.routes.name}${m.routes.call ? '()' : ''},\n`).join('')}];
`;

/** A route group's entry; the `$default` group's also gets the route table, for 404 or 405. */
export function entryText(module: RouteModule, isDefault: boolean): string {
  const entry = entryOf(module.group);
  const { name, call } = module.routes;
  return `${header(`the ${module.group} route group's function, its routes only`)}${
    module.deps
      ? ''
      : `import { stores } from '${importPath(entry, 'functions/app/deps/entityStores.ts')}';\n`
  }import { httpFunction } from '${importPath(entry, 'functions/app/httpFunction.ts')}';
import { ${module.deps ? 'deps, ' : ''}${name} } from '${importPath(entry, module.file)}';
${isDefault ? `import { routeTable } from '${importPath(entry, 'functions/app/routeTable.ts')}';\n` : ''}
/** What this function serves; a spec holds it equal to the declaration's routes of the group. */
export const routes = ${name}${call ? '()' : ''};
export const handler = httpFunction({
  group: '${module.group}',
  routes,${isDefault ? '\n  allRoutes: routeTable,' : ''}
  deps${module.deps ? '' : ': { stores }'},
});
`;
}
