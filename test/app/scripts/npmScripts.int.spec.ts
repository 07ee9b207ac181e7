/**
 * `npm start`, `npm run rebuild`, `redrive` and `relay` run the `coffee-es` bin with the coffee
 * franchise's system module: each loads it (the projections and queues it names come from the
 * app) and refuses what the app does not declare, before connecting to anything.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

function npmRun(script: string, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn('npm', ['run', '-s', script, '--', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('the npm scripts run the coffee-es bin on the app', () => {
  it('rebuild knows the app projections, redrive its queues, relay its commands', async () => {
    const [rebuild, redrive, relay] = await Promise.all([
      npmRun('rebuild', ['nonsense']),
      npmRun('redrive', ['nonsense']),
      npmRun('relay', ['nonsense']),
    ]);
    expect(rebuild.code).toBe(2);
    expect(rebuild.stderr).toContain(
      'Usage: coffee-es rebuild <availability|dailySales|orderHistory|all>',
    );
    expect(rebuild.stderr).toContain('Unknown projection: nonsense');
    expect(redrive.code).toBe(2);
    expect(redrive.stderr).toContain('Usage: coffee-es redrive [events]');
    expect(relay.code).toBe(2);
    expect(relay.stderr).toContain('Unknown command: nonsense');
  });

  it('start answers --help', async () => {
    const help = await npmRun('start', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: coffee-es start');
  });
});
