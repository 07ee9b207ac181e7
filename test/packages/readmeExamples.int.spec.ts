import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleOf, tsBlocksOf, typeErrorsOf } from './readmeExamples.ts';

const repo = join(import.meta.dirname, '../..');
// Inside the repository (so that the examples resolve the packages as the app does), outside the
// folders that specs scan.
const dir = join(repo, `.spec-tmp-readme-examples-${process.pid}`);

/** What each README's examples import besides the packages, as modules of this repository. */
const localModules: Record<string, Record<string, string>> = {
  core: {},
  dynamodb: { './counter.ts': './core.ts' },
  'aws-lambda': {},
  local: { './src/system.ts': '../functions/app/system.ts' },
  // cdk's example is left out: aws-cdk-lib's declarations alone take half a minute to load.
};

function writeExample(name: string, source: string, rewrites: Record<string, string>): string {
  let text = source;
  for (const [from, to] of Object.entries(rewrites)) text = text.replaceAll(`'${from}'`, `'${to}'`);
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, text);
  return file;
}

describe('package README examples', () => {
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-check against the sources, each README with an example', () => {
    const files = Object.entries(localModules).map(([pkg, rewrites]) => {
      const blocks = tsBlocksOf(readFileSync(join(repo, 'lib', pkg, 'README.md'), 'utf8'));
      expect(blocks.length, `lib/${pkg}/README.md has no ts example`).toBeGreaterThan(0);
      return writeExample(pkg, moduleOf(blocks), rewrites);
    });
    // The check itself: an example with a type error is reported.
    const broken = writeExample('broken', moduleOf(["const n: number = 'one';"]), {});
    const errors = typeErrorsOf([...files, broken], join(repo, 'tsconfig.json'));
    expect(errors.filter((e) => !e.includes('broken.ts'))).toEqual([]);
    expect(errors.some((e) => e.includes('broken.ts:'))).toBe(true);
  });
});
