/**
 * The file-length check (scripts/fileLength.ts, run by `npm run lint`) fails on a TypeScript file
 * over 250 lines unless its top comment gives the reason. A temporary tree holds files on each
 * side of the line; the check, run as lint runs it, must name exactly the ones over it.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const script = join(root, 'scripts/fileLength.ts');
const tsx = join(root, 'node_modules/.bin/tsx');

let tree: string;

const code = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`).join('\n');

async function put(file: string, text: string): Promise<void> {
  await mkdir(dirname(join(tree, file)), { recursive: true });
  await writeFile(join(tree, file), `${text}\n`);
}

async function check(): Promise<{ code: number; named: string[] }> {
  const result = await promisify(execFile)(tsx, [script, tree]).then(
    () => ({ code: 0, stderr: '' }),
    (failed: { code: number; stderr: string }) => failed,
  );
  const named = [...result.stderr.matchAll(/^(\S+): \d+ lines/gm)].map((line) => line[1] ?? '');
  return { code: result.code, named };
}

describe('the file-length check', () => {
  beforeEach(async () => {
    tree = await mkdtemp(join(tmpdir(), 'file-length-'));
  });
  afterEach(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  it('passes files of 250 lines, and longer ones whose top comment says why', async () => {
    await put('lib/core/src/full.ts', code(250));
    await put('test/core/full.ts', `/**\n * A table.\n */\n${code(247)}`);
    await put(
      'functions/long.ts',
      `/**\n * The routes.\n *\n * Longer than 250 lines because the table reads best whole.\n */\n${code(400)}`,
    );
    await put('scripts/long.ts', `// Longer than 250 lines because it is generated.\n${code(300)}`);
    await put('lib/core/node_modules/x/index.ts', code(300));
    await put('lib/core/dist/index.ts', code(300));
    await put('docs/long.ts', code(300));
    expect(await check()).toEqual({ code: 0, named: [] });
  });

  it('fails each file over 250 lines without a reason at its top, naming it', async () => {
    await put('lib/core/src/full.ts', code(250));
    await put('lib/dynamodb/src/over.ts', code(251));
    await put('test/support/comments.ts', `/**\n * Only prose.\n */\n${code(248)}`);
    await put(
      'bench/late.ts',
      `${code(260)}\n// Longer than 250 lines because it says so too late.`,
    );
    await put('cdk/empty.ts', `// Longer than 250 lines because\n${code(260)}`);
    await put('lib/local/src/mts.mts', code(251));
    const result = await check();
    expect(result.named.sort()).toEqual(
      [
        'bench/late.ts',
        'cdk/empty.ts',
        'lib/dynamodb/src/over.ts',
        'lib/local/src/mts.mts',
        'test/support/comments.ts',
      ].sort(),
    );
    expect(result.code).not.toBe(0);
  });
});
