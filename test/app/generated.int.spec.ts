/**
 * What `npm run generate` writes is what the app's files make today: `-- --check` passes on the
 * repository and fails, naming the file, on a copy where one generated file was changed by hand.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const copy = join(repo, `.spec-tmp-generated-${process.pid}`);
const check = (root: string) =>
  spawnSync('npm', ['run', '-s', 'generate', '--', '--check', '--root', root], {
    cwd: repo,
    encoding: 'utf8',
  });

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('npm run generate -- --check', () => {
  it('passes: every generated file is up to date (run `npm run generate` after a change)', () => {
    const result = check(repo);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on a stale file, naming it, and writes nothing', () => {
    cpSync(join(repo, 'functions'), join(copy, 'functions'), { recursive: true });
    const entry = join(copy, 'functions/handlers/http/slots.ts');
    const edited = readFileSync(entry, 'utf8').replace("group: 'slots'", "group: 'orders'");
    writeFileSync(entry, edited);
    const result = check(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('functions/handlers/http/slots.ts');
    expect(readFileSync(entry, 'utf8')).toBe(edited);
  });
});
