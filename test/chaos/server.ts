/**
 * `npm start` as its own process group, the way a terminal runs it: Ctrl-C there is SIGINT to the
 * whole foreground group, so the chaos runs stop it with group signals (and SIGKILL) and start it
 * again on the same port and DATA_DIR.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { childEnvironment } from '../support/childProcess.ts';
import { listeningUrl } from '../support/npmStart.ts';

const root = resolve(import.meta.dirname, '../..');

export interface ServerOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Extra environment (e.g. DYNAMODB_ENDPOINT pointing at a fault proxy). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

export interface StartedServer {
  readonly url: string;
  /** The group id: the start script's pid, as it leads a group of its own. */
  readonly pgid: number;
  output(): string;
  /** Sends `signal` to the whole group (or to the script alone) and waits for the script to exit. */
  stop(signal: NodeJS.Signals, target?: 'group' | 'process'): Promise<void>;
}

/** Every group started, so that a failing run can kill what is left. */
const groups = new Set<number>();

export async function startServer(options: ServerOptions): Promise<StartedServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@coffee-es/source', '--import', 'tsx', 'scripts/start.ts'],
    {
      cwd: root,
      env: childEnvironment({
        LOG_LEVEL: 'ERROR',
        PORT: String(options.port),
        DATA_DIR: options.dataDir,
        ...options.env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('Could not spawn the start script');
  groups.add(pgid);
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const url = await listeningUrl(child, () => output, options.readyTimeoutMs ?? 60_000);
  return {
    url,
    pgid,
    output: () => output,
    stop: async (signal, target = 'group') => {
      try {
        process.kill(target === 'group' ? -pgid : pgid, signal);
      } catch {
        // already gone
      }
      const timeout = new Promise<'timeout'>((done) =>
        setTimeout(() => done('timeout'), 30_000).unref(),
      );
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        killGroup(pgid);
        throw new Error(`npm start did not exit after ${signal}:\n${output.slice(-4000)}`);
      }
      // Whatever the script left in its group (nothing, if it stopped cleanly).
      killGroup(pgid);
      groups.delete(pgid);
    },
  };
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // no such group: nothing left
  }
}

/** SIGKILLs every group a `startServer` started and that is still there. */
export function killServers(): void {
  for (const pgid of groups) killGroup(pgid);
  groups.clear();
}
