/**
 * The operator commands' flags and output: with --json only JSON on stdout and no progress bar;
 * for people the bar on stderr, and only when stderr is a terminal.
 */
import { intFlag, output, parseFlags, takeJsonFlag } from '@coffee-es/local';
import { describe, expect, it } from 'vitest';

const streams = (isTTY: boolean) => {
  const written = { stdout: '', stderr: '' };
  return {
    written,
    streams: {
      stdout: { write: (t: string) => (written.stdout += t) },
      stderr: { isTTY, write: (t: string) => (written.stderr += t) },
    },
  };
};

describe('output', () => {
  it('--json: one JSON document or JSON Lines on stdout, notes on stderr, no bar even on a terminal', () => {
    const { written, streams: s } = streams(true);
    const out = output(true, s);
    const bar = out.progress('entities');
    bar.update(5, 10);
    bar.end();
    out.note('connected');
    out.record({ position: 1 }, () => 'one');
    out.record({ position: 2 }, () => 'two');
    expect(
      written.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ position: 1 }, { position: 2 }]);
    expect(written.stderr).toBe('connected\n');
    const doc = streams(false);
    output(true, doc.streams).result({ a: [1, 2] }, () => 'human');
    expect(JSON.parse(doc.written.stdout)).toEqual({ a: [1, 2] });
  });

  it('for people: text on stdout, the bar on a terminal stderr and nothing on a piped one', () => {
    const tty = streams(true);
    const out = output(false, tty.streams);
    const bar = out.progress('entities');
    bar.update(5, 10);
    bar.end();
    out.result({ a: 1 }, () => 'human text');
    expect(tty.written.stdout).toBe('human text\n');
    expect(tty.written.stderr).toContain('entities [');
    expect(tty.written.stderr).toContain('50% 5/10');
    expect(tty.written.stderr.endsWith('\n')).toBe(true);
    // A line printed while the bar shows clears the bar's line first.
    const mixed = streams(true);
    const both = output(false, mixed.streams);
    const drawing = both.progress('entities');
    drawing.update(1, 10);
    both.record({ id: 'a' }, () => 'a');
    expect(mixed.written.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(mixed.written.stdout).toBe('a\n');
    const piped = streams(false);
    const quiet = output(false, piped.streams).progress('entities');
    quiet.update(5, 10);
    quiet.end();
    expect(piped.written.stderr).toBe('');
  });
});

describe('flags', () => {
  it('takes --json out', () => {
    expect(takeJsonFlag(['Order', '--json', 'o-1'])).toEqual({
      json: true,
      rest: ['Order', 'o-1'],
    });
    expect(takeJsonFlag(['Order'])).toEqual({ json: false, rest: ['Order'] });
  });

  it('parses values, booleans and positionals, and refuses what the spec does not know', () => {
    const spec = { from: 'value', follow: 'boolean' } as const;
    expect(parseFlags(['Order', '--from', '3', 'o-1', '--follow'], spec)).toEqual({
      flags: { from: '3', follow: true },
      positionals: ['Order', 'o-1'],
    });
    expect(parseFlags(['--from=4'], spec).flags).toEqual({ from: '4' });
    expect(() => parseFlags(['--to', '3'], spec)).toThrow('Unknown option: --to');
    expect(() => parseFlags(['--from'], spec)).toThrow('--from needs a value');
    expect(() => parseFlags(['--from', '--follow'], spec)).toThrow('--from needs a value');
    expect(() => parseFlags(['--follow=yes'], spec)).toThrow('--follow takes no value');
  });

  it('reads whole numbers with a floor', () => {
    const spec = { from: 'value' } as const;
    expect(intFlag(parseFlags(['--from', '3'], spec), 'from', 1)).toBe(3);
    expect(intFlag(parseFlags([], spec), 'from', 1)).toBeUndefined();
    expect(() => intFlag(parseFlags(['--from', '0'], spec), 'from', 1)).toThrow('≥ 1');
    expect(() => intFlag(parseFlags(['--from', 'x'], spec), 'from', 1)).toThrow('whole number');
  });
});
