/** What the queue commands (`dlq`, `failures`) share: their flags and their Ctrl-C. */

/** `--json` and `--max <n>` taken out of the arguments, or what is wrong with them. */
export function takeQueueFlags(
  args: readonly string[],
  allowed: { readonly max?: boolean } = {},
): { json: boolean; max?: number; rest: string[] } | string {
  const rest: string[] = [];
  let json = false;
  let max: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--max' && allowed.max) {
      const value = args[i + 1];
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
        return `--max needs a whole number of messages, at least 1 (not ${value ?? 'nothing'})`;
      }
      max = Number(value);
      i++;
    } else if (arg.startsWith('--')) return `Unknown option: ${arg}`;
    else rest.push(arg);
  }
  return { json, ...(max === undefined ? {} : { max }), rest };
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
