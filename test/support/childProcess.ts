/**
 * What every spec that runs a script of the project in a child process needs: an environment
 * cleaned of whatever would point the child at other tables, queues, endpoints or an auth mode
 * than the spec gives it, and the child's output collected as it comes.
 */
import type { ChildProcess } from 'node:child_process';

/** Names that point a child elsewhere than the spec says (and vitest's own variables). */
const pointsElsewhere = (name: string) =>
  /^(AWS_|VITEST|NODE_OPTIONS$|AUTH$|REQUIRE_TOKEN$|LOG_LEVEL$)/.test(name) ||
  /_(TABLE|QUEUE_URL|ENDPOINT)$/.test(name);

/**
 * The spec's environment without what points elsewhere (nor what `alsoDrop` matches), plus
 * `extra`.
 */
export function childEnvironment(
  extra: Readonly<Record<string, string>> = {},
  alsoDrop?: RegExp,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (pointsElsewhere(name) || alsoDrop?.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** How a child ended, and all it printed. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child being watched: what it printed so far (both streams), and its end. */
export interface WatchedChild {
  readonly child: ChildProcess;
  output(): string;
  readonly done: Promise<ChildResult>;
}

/** Collects a spawned child's output (the last `keep` characters of each stream, if given). */
export function watchChild(child: ChildProcess, keep = Number.POSITIVE_INFINITY): WatchedChild {
  let stdout = '';
  let stderr = '';
  let both = '';
  const trim = (text: string) => (text.length > keep ? text.slice(-keep) : text);
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = trim(stdout + chunk.toString());
    both = trim(both + chunk.toString());
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = trim(stderr + chunk.toString());
    both = trim(both + chunk.toString());
  });
  const done = new Promise<ChildResult>((resolveDone, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, output: () => both, done };
}
