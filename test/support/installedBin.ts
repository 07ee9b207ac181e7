/** The installed `coffee-es` bin of a packed app, started as its user would, and its HTTP calls. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { listeningUrl } from './npmStart.ts';
import { outsideEnvironment } from './packedApp.ts';

export interface StartedBin {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly output: () => string;
  /** The exit code, or the signal that ended it. */
  readonly exited: Promise<number | string>;
  readonly call: (
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; body: Record<string, unknown> }>;
}

/** `coffee-es start` in `app`, with `env` over a scrubbed environment; resolves once it listens. */
export async function startInstalledBin(
  app: string,
  env: Record<string, string>,
  onPid: (pid: number) => void,
): Promise<StartedBin> {
  let output = '';
  const child = spawn(join(app, 'node_modules/.bin/coffee-es'), ['start'], {
    cwd: app,
    env: outsideEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('Could not spawn the bin');
  onPid(child.pid);
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  const url = await listeningUrl(child, () => output, 60_000);
  const call: StartedBin['call'] = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { child, pid: child.pid, url, output: () => output, exited, call };
}
