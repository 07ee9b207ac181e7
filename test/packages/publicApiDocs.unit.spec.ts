import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryFilesOf, programOf, undocumentedExports } from './publicApiDocs.ts';

const libDir = join(import.meta.dirname, '../../lib');

/** The main entry points of each package: their TSDoc must show an `@example`. */
const entryPoints: Record<string, Record<string, readonly string[]>> = {
  core: {
    'src/index.ts': [
      'defineEntity',
      'reject',
      'EntityStore',
      'DurableStateStore',
      'InMemoryJournal',
      'InMemoryReadModelStore',
      'defineProjection',
      'defineReadSide',
      'rebuildProjections',
    ],
    'src/testing/specification.ts': ['specification', 'projectionSpecification'],
  },
  dynamodb: {
    'src/index.ts': [
      'DynamoJournal',
      'DynamoStateStore',
      'ClaimingJournal',
      'ensureTables',
      'DynamoReadModelStore',
    ],
  },
  'aws-lambda': {
    'src/index.ts': [
      'createHttpHandler',
      'defineRoute',
      'defineCommandRoute',
      'defineQueryRoute',
      'HttpProblem',
      'openApiDocument',
      'createProjector',
      'createRelay',
      'createEventConsumer',
      'defineSystem',
      'redriveDeadLetters',
      'replayJournal',
    ],
    'src/schema.ts': [],
  },
  local: {
    'src/index.ts': [
      'startLocalRuntime',
      'startDynamoDbLocal',
      'startSqsEmulator',
      'startLocalHttpServer',
      'stopOnSignals',
    ],
    'src/cli/main.ts': ['main'],
    'src/console/operatorHandler.ts': ['createOperatorHandler'],
  },
  cdk: { 'src/index.ts': ['SystemStack', 'SystemFunction', 'readDeploySettings'] },
};

describe('public API documentation', () => {
  const entries = Object.keys(entryPoints).flatMap((pkg) => entryFilesOf(join(libDir, pkg)));
  const program = programOf(entries);

  it('lists every entry file of every package', () => {
    const listed = Object.entries(entryPoints).flatMap(([pkg, files]) =>
      Object.keys(files).map((file) => join(libDir, pkg, file)),
    );
    expect(listed.sort()).toEqual([...entries].sort());
  });

  for (const [pkg, files] of Object.entries(entryPoints)) {
    for (const [file, needExample] of Object.entries(files)) {
      it(`@coffee-es/${pkg} ${file}: every export has TSDoc, entry points an @example, the internal section @internal`, () => {
        const findings = undocumentedExports(program, join(libDir, pkg, file), needExample);
        expect(findings.map(({ name, problem }) => `${name}: ${problem}`)).toEqual([]);
      });
    }
  }
});

describe('the documentation check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdoc-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'impl.ts'),
    [
      '/** Documented, with an example.\n * @example\n * ```ts\n * run();\n * ```\n */',
      'export function run(): void {}',
      '/** Documented, but no example. */',
      'export const walk = (): void => {};',
      'export interface Bare { readonly x: number }',
      '/** @internal */',
      'export class Empty {}',
      '// A line comment is not TSDoc.',
      'export type Lined = string;',
      '/** For the specs only.\n * @internal\n */',
      'export const marked = 1;',
      '/** For the specs only, but not marked so. */',
      'export const unmarked = 2;',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'index.ts'),
    [
      "export { Bare, Empty, type Lined, run, walk as stroll } from './impl.ts';",
      '// --- Internal (@internal): for the specs ---',
      "export { marked, unmarked } from './impl.ts';",
    ].join('\n'),
  );
  const program = programOf([join(dir, 'index.ts')]);
  const findings = undocumentedExports(program, join(dir, 'index.ts'), ['run', 'stroll', 'gone']);

  it('finds an export with no comment, an empty one and a line comment, through re-exports', () => {
    expect(findings.filter((f) => f.problem === 'no TSDoc').map((f) => f.name)).toEqual([
      'Bare',
      'Empty',
      'Lined',
    ]);
  });

  it('finds an export of the internal section not marked @internal', () => {
    expect(findings.filter((f) => f.problem === 'no @internal').map((f) => f.name)).toEqual([
      'unmarked',
    ]);
  });

  it('finds an entry point without @example, under its exported name, and one not exported', () => {
    expect(
      findings.filter((f) => f.problem !== 'no TSDoc' && f.problem !== 'no @internal'),
    ).toEqual([
      { entry: join(dir, 'index.ts'), name: 'stroll', problem: 'no @example' },
      { entry: join(dir, 'index.ts'), name: 'gone', problem: 'not exported' },
    ]);
  });
});
