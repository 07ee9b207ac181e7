/**
 * A progress line on stderr, only when stderr is a terminal and the output is not --json: a
 * pipe or a log file gets the summary alone.
 */
export function progressLine(json: boolean): {
  update(text: string): void;
  done(): void;
} {
  const on = !json && process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (!on || now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r${text}\u001b[K`);
    },
    done() {
      if (shown) process.stderr.write('\n');
    },
  };
}

/** A bar for a fraction done, 30 characters wide. */
export function bar(fraction: number): string {
  const filled = Math.max(0, Math.min(30, Math.round(fraction * 30)));
  return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${Math.round(fraction * 100)}%`;
}
