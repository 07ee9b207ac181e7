/**
 * The README's "Adding an entity" applied to a copy of the app: its three code blocks become the
 * entity, the projection and the route module, and `npm run generate` (run on the copy) writes
 * the rest, so that the guide fails its spec when the app moves on.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The ```ts blocks of the README's "Adding an entity" section, in order. */
export function guideBlocks(readme: string): string[] {
  const start = readme.indexOf('## Adding an entity');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** Every file under `dir` with its text, by path relative to `dir`. */
function snapshot(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) =>
    e.isFile(),
  );
  return new Map(
    files.map((e) => {
      const path = join(e.parentPath, e.name);
      return [relative(dir, path), readFileSync(path, 'utf8')];
    }),
  );
}

/** What adding the voucher did to the copy: the files written by hand, and by the generator. */
export interface VoucherAdded {
  readonly byHand: readonly string[];
  readonly generated: readonly string[];
}

/** Copies `functions/` to `dir`, adds the voucher there and runs `npm run generate` on it. */
export function addVoucher(repo: string, dir: string): VoucherAdded {
  const functions = join(dir, 'functions');
  cpSync(join(repo, 'functions'), functions, { recursive: true });
  const before = snapshot(functions);
  const [domain, projection, route, ...rest] = guideBlocks(
    readFileSync(join(repo, 'README.md'), 'utf8'),
  );
  if (!domain || !projection || !route || rest.length > 0) {
    throw new Error('The guide should hold three ts blocks: entity, projection, route');
  }
  const byHand: [string, string][] = [
    ['domain/vouchers.ts', domain],
    ['projections/vouchers.ts', projection],
    ['app/routes/vouchers.ts', route],
  ];
  for (const [file, text] of byHand) {
    if (existsSync(join(functions, file))) throw new Error(`${file} exists already`);
    writeFileSync(join(functions, file), text);
  }
  const generate = spawnSync('npm', ['run', '-s', 'generate', '--', '--root', dir], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (generate.status !== 0) throw new Error(`npm run generate failed: ${generate.stderr}`);
  const after = snapshot(functions);
  const changed = [...after].filter(([file, text]) => before.get(file) !== text).map(([f]) => f);
  const hand = byHand.map(([file]) => file);
  return { byHand: hand, generated: changed.filter((file) => !hand.includes(file)).sort() };
}
