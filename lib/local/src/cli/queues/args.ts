/** What the queue commands (`dlq`, `failures`) share: their flags and their Ctrl-C. */
import { intFlag, parseFlags, UsageError } from '../ops/flags.ts';
import { takeJsonFlag } from '../ops/output.ts';
import { type Target, takeTargetFlags } from '../ops/target.ts';

/** A queue command's arguments: its target, `--json`, `--max` where it takes one, the rest. */
export interface QueueArgs {
  readonly target: Target;
  readonly json: boolean;
  readonly max?: number;
  readonly positionals: readonly string[];
}

/** Parses the arguments; throws a {@link UsageError} for bad input. */
export function parseQueueArgs(
  args: readonly string[],
  allowed: { readonly max?: boolean } = {},
): QueueArgs {
  const { target, rest } = takeTargetFlags(args);
  const { json, rest: others } = takeJsonFlag(rest);
  const parsed = parseFlags(others, allowed.max ? { max: 'value' } : {});
  const max = intFlag(parsed, 'max', 1);
  return { target, json, ...(max === undefined ? {} : { max }), positionals: parsed.positionals };
}

/** The one name a command takes, checked against the declared ones; a UsageError otherwise. */
export function oneOf(positionals: readonly string[], known: readonly string[], what: string) {
  const [name, ...extra] = positionals;
  const problem =
    name === undefined
      ? `Which ${what}?`
      : extra.length > 0
        ? `One ${what} at a time (not ${extra.join(' ')})`
        : known.includes(name)
          ? undefined
          : `Unknown ${what}: ${name}`;
  if (problem) throw new UsageError(`${problem}; ${what}s: ${known.join(', ') || 'none'}`);
  return name as string;
}

/**
 * An abort signal raised by the first SIGINT or SIGTERM, so that a redrive stops after the item
 * it is on (nothing half done); the second signal exits at once. `release` removes the handlers.
 */
export function interruptible(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('Stopping after the current item (again to stop at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);
