/**
 * `npm start` as a user runs it, in a child process: the real start script on a port and a data
 * directory of the spec's own. Every process it starts is tracked by pid, so that a spec can check
 * that a stop left nothing behind, and kill what is left when it fails.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { childEnvironment } from './childProcess.ts';

const root = resolve(import.meta.dirname, '../..');

export interface NpmStart {
  readonly url: string;
  readonly pid: number;
  /** Pids of the processes the start script started (DynamoDB Local's java, its watchdog). */
  readonly children: readonly number[];
  /** Pid of DynamoDB Local's java process. */
  readonly javaPid: number;
  /** Everything the script printed so far. */
  output(): string;
  /** Sends `signal` and waits for the script to exit; its exit code, or the signal that ended it. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/** Every pid any `startNpmStart` call saw, with its command line, for `killLeftovers`. */
const seen = new Map<number, string>();

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The direct children of a process (by pid), from `pgrep -P`. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

export async function startNpmStart(options: {
  readonly port: number;
  readonly dataDir: string;
  readonly readyTimeoutMs?: number;
  /** More environment for the script (`AUTH: 'on'`). */
  readonly env?: Readonly<Record<string, string>>;
}): Promise<NpmStart> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@coffee-es/source', '--import', 'tsx', 'scripts/start.ts'],
    {
      cwd: root,
      env: childEnvironment({
        ...options.env,
        PORT: String(options.port),
        DATA_DIR: options.dataDir,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not spawn the start script');
  seen.set(pid, commandOf(pid));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | NodeJS.Signals>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );

  const url = await listeningUrl(child, () => output, options.readyTimeoutMs ?? 30_000);
  const children = childrenOf(pid);
  for (const p of children) seen.set(p, commandOf(p));
  const javaPid = children.find((p) => commandOf(p).includes('DynamoDBLocal.jar'));
  if (javaPid === undefined) throw new Error(`No DynamoDB Local among ${children.join(', ')}`);

  let stopping: Promise<number | NodeJS.Signals> | undefined;
  return {
    url,
    pid,
    children,
    javaPid,
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      stopping ??= (async () => {
        child.kill(signal);
        const timeout = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`npm start did not exit:\n${output}`)), 15_000).unref(),
        );
        return Promise.race([exited, timeout]);
      })();
      return stopping;
    },
  };
}

/** Waits for the start script to print where it listens; fails if it exits or takes too long. */
export async function listeningUrl(
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /listening on (http:\/\/\S+)/.exec(output())?.[1];
    if (url !== undefined) return url;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`npm start exited before it listened:\n${output()}`);
    }
    if (Date.now() > deadline) throw new Error(`npm start did not listen in time:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGKILLs every process a `startNpmStart` started that is still alive. */
export function killLeftovers(): number[] {
  const killed: number[] = [];
  for (const [pid, command] of seen) {
    // A pid that is alive under another command line was reused: not ours any more.
    if (!isAlive(pid) || commandOf(pid) !== command) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

/**
 * Runs one of the operational scripts (`scripts/rebuild.ts`, `scripts/redrive.ts`) as
 * `npm run …` would, against the `npm start` that uses `dataDir`.
 */
export function runScript(
  script: string,
  args: readonly string[],
  dataDir: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@coffee-es/source', '--import', 'tsx', script, ...args],
      {
        cwd: root,
        env: childEnvironment({ DATA_DIR: dataDir }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
