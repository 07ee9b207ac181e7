/**
 * `npm run generate`: writes what the app derives from its declarations, so that no list is kept
 * by hand. From the files found (scripts/generate/discover.ts): the entity, projection and route
 * lists (functions/app/generated/) and one entry per route group (functions/handlers/http/); then,
 * from the system they declare, the OpenAPI document (functions/app/routes/openapi.json) and the
 * route table (functions/app/routeTable.ts). `-- --check` writes nothing and fails when a file
 * is not what it would write (a spec runs it); `-- --root <dir>` works on a copy of the app.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findEntities, findProjections, findRouteModules } from './generate/discover.ts';
import * as texts from './generate/texts.ts';

const repo = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const rootFlag = args.indexOf('--root');
/** The app's root: this repository, or `--root <dir>` (a copy of it, as the guide's spec makes). */
const root = resolve(
  rootFlag === -1 ? resolve(import.meta.dirname, '..') : (args[rootFlag + 1] ?? '.'),
);
const check = args.includes('--check');
const biomeBin = join(repo, 'node_modules/.bin/biome');
const stale: string[] = [];

/** The text as Biome formats it (imports sorted), so that the lint passes on what is written. */
function formatted(file: string, text: string): string {
  if (file.endsWith('.json')) return text;
  // Formatted as this repository's file of that path (a copy may lie where Biome ignores files).
  const biome = spawnSync(biomeBin, ['check', '--write', `--stdin-file-path=${file}`], {
    cwd: repo,
    input: text,
    encoding: 'utf8',
  });
  if (biome.status !== 0) throw new Error(`Biome refused ${file}: ${biome.stderr}`);
  return biome.stdout;
}

async function put(file: string, text: string): Promise<void> {
  const path = join(root, file);
  const wanted = formatted(file, text);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === wanted) return;
  if (check) {
    stale.push(file);
    return;
  }
  await writeFile(path, wanted);
  console.log(`Wrote ${file}`);
}

// In this order: route modules may import the read side, which imports the first two lists.
await put(texts.entitiesFile, texts.entitiesText(await findEntities(root)));
await put(texts.projectionsFile, texts.projectionsText(await findProjections(root)));
const modules = stale.length === 0 ? await findRouteModules(root) : [];
if (stale.length === 0) await put(texts.routesFile, texts.routesText(modules));

if (stale.length === 0) {
  // Imported only now, so that it is built from the lists just written.
  const { system } = await import(pathToFileURL(join(root, 'functions/app/system.ts')).href);
  const openapi = await import(pathToFileURL(join(root, 'functions/app/openapi.ts')).href);
  const table = await import(pathToFileURL(join(root, 'functions/app/routeTableText.ts')).href);
  for (const module of modules) {
    await put(
      texts.entryOf(module.group),
      texts.entryText(module, module.group === system.defaultRouteGroup),
    );
  }
  const file = (url: URL) => relative(root, fileURLToPath(url));
  await put(file(openapi.openApiFile), openapi.openApiText(openapi.coffeeOpenApi(system.routes)));
  await put(file(table.routeTableFile), table.routeTableText(system.routes));
}

if (stale.length > 0) {
  console.error(`Not up to date (run \`npm run generate\`): ${stale.join(', ')}`);
  process.exitCode = 1;
}
