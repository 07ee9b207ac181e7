/**
 * The layering rule (.dependency-cruiser.cjs, run by `npm run lint`) fails on a forbidden import.
 * A small workspace of the same shape is written to a temporary folder: five packages under lib/
 * with exports maps, linked by name in node_modules, and an app beside them. Clean, the rule passes
 * it (exit 0); with one forbidden import per rule added, it exits non-zero and names exactly those.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const packages = ['core', 'dynamodb', 'aws-lambda', 'local', 'cdk'] as const;

/** What the clean workspace holds: each package importing only what it may, by name. */
const clean: Record<string, string> = {
  'lib/core/src/index.ts': 'export const core = 1;\nexport type Core = number;\n',
  'lib/core/src/testing.ts': "import { core } from './index.ts';\nexport const kit = core;\n",
  'lib/dynamodb/src/index.ts': "import { core } from '@coffee-es/core';\nexport const db = core;\n",
  'lib/aws-lambda/src/index.ts':
    "import { core } from '@coffee-es/core';\nimport { db } from '@coffee-es/dynamodb';\nexport const fn = core + db;\n",
  'lib/aws-lambda/src/schema.ts': 'export const schema = 1;\n',
  'lib/local/src/index.ts':
    "import { fn } from '@coffee-es/aws-lambda';\nimport { db } from '@coffee-es/dynamodb';\nexport const local = fn + db;\n",
  'lib/cdk/src/index.ts':
    "import { fn } from '@coffee-es/aws-lambda';\nimport type { Core } from '@coffee-es/core';\nexport const stack: Core = fn;\n",
  'functions/app.ts':
    "import { schema } from '@coffee-es/aws-lambda/schema';\nimport { kit } from '@coffee-es/core/testing';\nexport const app = schema + kit;\n",
};

/**
 * One forbidden import per rule: the file that makes it, and the rule that must name it (a cycle
 * is named once, at the file the cruise meets first).
 */
const forbidden: { file: string; source: string; rule?: string }[] = [
  { file: 'lib/core/src/fs.ts', source: "import 'node:fs';", rule: 'core-is-pure' },
  { file: 'lib/core/src/npm.ts', source: "import 'ulid';", rule: 'core-is-pure' },
  {
    file: 'lib/core/src/up.ts',
    source: "import '@coffee-es/dynamodb';",
    rule: 'core-imports-no-package',
  },
  {
    file: 'lib/dynamodb/src/up.ts',
    source: "import '@coffee-es/aws-lambda';",
    rule: 'dynamodb-imports-only-core',
  },
  {
    file: 'lib/aws-lambda/src/up.ts',
    source: "import '@coffee-es/local';",
    rule: 'aws-lambda-imports-core-and-dynamodb',
  },
  {
    file: 'lib/local/src/up.ts',
    source: "import '@coffee-es/cdk';",
    rule: 'local-imports-core-dynamodb-aws-lambda',
  },
  {
    file: 'lib/cdk/src/up.ts',
    source: "import '@coffee-es/local';",
    rule: 'cdk-imports-aws-lambda-and-dynamodb',
  },
  {
    file: 'lib/cdk/src/coreValue.ts',
    source: "import { core } from '@coffee-es/core';\nexport const c = core;",
    rule: 'cdk-uses-core-for-types-only',
  },
  {
    file: 'lib/aws-lambda/src/app.ts',
    source: "import '../../../functions/app.ts';",
    rule: 'packages-import-no-app',
  },
  {
    file: 'lib/dynamodb/src/byPath.ts',
    source: "import '../../core/src/index.ts';",
    rule: 'another-package-by-name-only',
  },
  {
    file: 'functions/byPath.ts',
    source: "import '../lib/core/src/index.ts';",
    rule: 'app-imports-packages-by-name',
  },
  {
    file: 'functions/deep.ts',
    source: "import '@coffee-es/core/src/index.ts';",
    rule: 'no-unresolvable',
  },
  { file: 'functions/cycleA.ts', source: "import './cycleB.ts';", rule: 'no-cycles' },
  { file: 'functions/cycleB.ts', source: "import './cycleA.ts';" },
];

let workspace: string;

async function put(file: string, text: string): Promise<void> {
  await mkdir(dirname(join(workspace, file)), { recursive: true });
  await writeFile(join(workspace, file), text);
}

function manifest(name: string): string {
  const exports: Record<string, unknown> = { '.': { '@coffee-es/source': './src/index.ts' } };
  if (name === 'core') exports['./testing'] = { '@coffee-es/source': './src/testing.ts' };
  if (name === 'aws-lambda') exports['./schema'] = { '@coffee-es/source': './src/schema.ts' };
  return JSON.stringify({ name: `@coffee-es/${name}`, type: 'module', exports });
}

interface Cruise {
  readonly code: number;
  readonly violations: { from: string; rule: string }[];
}

/** Runs the cruise as `npm run lint` does (its `err` report sets the exit code) and reads it. */
async function cruise(): Promise<Cruise> {
  const args = ['--config', join(root, '.dependency-cruiser.cjs'), 'lib', 'functions'];
  const result = await promisify(execFile)(depcruise, args, { cwd: workspace }).then(
    (done) => ({ code: 0, stdout: done.stdout }),
    (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
  );
  // One line per violation: "  error <rule>: <from> → <to>" (a cycle goes on over more lines).
  const violations = [...result.stdout.matchAll(/error ([\w-]+): (\S+) →/g)].map((line) => ({
    from: line[2] ?? '',
    rule: line[1] ?? '',
  }));
  return { code: result.code, violations };
}

const byFile = (a: { from: string }, b: { from: string }) => a.from.localeCompare(b.from);

describe('the layering rule', () => {
  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'layering-'));
    const workspaces = packages.map((name) => `lib/${name}`);
    await put('package.json', JSON.stringify({ name: 'fixture', type: 'module', workspaces }));
    await put(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          allowImportingTsExtensions: true,
          noEmit: true,
          customConditions: ['@coffee-es/source'],
        },
      }),
    );
    await mkdir(join(workspace, 'node_modules/@coffee-es'), { recursive: true });
    for (const name of packages) {
      await put(`lib/${name}/package.json`, manifest(name));
      await symlink(join(workspace, 'lib', name), join(workspace, 'node_modules/@coffee-es', name));
    }
    await symlink(join(root, 'node_modules/ulid'), join(workspace, 'node_modules/ulid'));
    for (const [file, text] of Object.entries(clean)) await put(file, text);
  });

  afterAll(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('passes a workspace where each package imports only what it may, by name', async () => {
    const result = await cruise();
    expect(result.violations).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('fails each forbidden import, naming the file and the rule it breaks', async () => {
    for (const { file, source } of forbidden) await put(file, `${source}\n`);
    const result = await cruise();
    const expected = forbidden.flatMap(({ file, rule }) => (rule ? [{ from: file, rule }] : []));
    expect(result.violations.sort(byFile)).toEqual(expected.sort(byFile));
    expect(result.code).not.toBe(0);
  });
});
