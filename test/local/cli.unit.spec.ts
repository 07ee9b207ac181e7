/**
 * The `coffee-es` command's dispatch and its `--system` flag: what it refuses, and that help
 * never loads a system module.
 */
import { takeSystemFlag } from '@coffee-es/local';
import { main } from '@coffee-es/local/cli';
import { afterEach, describe, expect, it, vi } from 'vitest';

const printed = () => {
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  return {
    out: () => out.mock.calls.flat().join('\n'),
    err: () => err.mock.calls.flat().join('\n'),
  };
};

afterEach(() => vi.restoreAllMocks());

describe('takeSystemFlag', () => {
  it('takes --system <module> and --system=<module> anywhere, and leaves the rest in order', () => {
    expect(takeSystemFlag(['replay', '--system', 'a.ts', '--from', '1'])).toEqual({
      system: 'a.ts',
      rest: ['replay', '--from', '1'],
    });
    expect(takeSystemFlag(['--system=b.js', 'all'])).toEqual({ system: 'b.js', rest: ['all'] });
    expect(takeSystemFlag(['all'])).toEqual({ system: undefined, rest: ['all'] });
  });

  it('refuses --system without a module', () => {
    expect(() => takeSystemFlag(['--system'])).toThrow('--system needs a module');
    expect(() => takeSystemFlag(['--system', '--from'])).toThrow('--system needs a module');
  });
});

describe('main', () => {
  it('prints the usage on --help and exits 2 without a command', async () => {
    const io = printed();
    expect(await main(['--help'])).toBe(0);
    expect(io.out()).toContain('Usage: coffee-es <command>');
    expect(await main([])).toBe(2);
  });

  it('refuses an unknown command', async () => {
    const io = printed();
    expect(await main(['deploy'])).toBe(2);
    expect(io.err()).toContain('Unknown command: deploy');
  });

  it("answers a command's --help before loading any system module", async () => {
    const io = printed();
    // The module does not exist: loading it would fail with exit 2.
    for (const command of [
      'start',
      'rebuild',
      'redrive',
      'relay',
      'events',
      'state',
      'entities',
      'snapshots',
    ]) {
      expect(await main([command, '--system', 'no/such/module.ts', '--help'])).toBe(0);
      expect(io.out()).toContain(`coffee-es ${command}`);
    }
  });

  it('takes --system before the command too (npm run cli -- <command> puts it there)', async () => {
    const io = printed();
    expect(await main(['--system', 'no/such/module.ts', 'relay', '--help'])).toBe(0);
    expect(io.out()).toContain('coffee-es relay');
    expect(await main(['--system', 'no/such/module.ts', 'relay', 'failures'])).toBe(2);
    expect(io.err()).toContain('no/such/module.ts');
  });
});
