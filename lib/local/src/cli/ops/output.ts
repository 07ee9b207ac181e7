/**
 * How the operator commands print: for people, lines on stdout and a progress bar on stderr
 * (only when stderr is a terminal); with `--json`, nothing on stdout but one JSON document (or
 * JSON Lines for streams), and no progress bar, so that the output pipes into `jq` as it is.
 */

/** A progress bar for long work: `update(done, total?)` redraws it; `end()` ends its line. */
export interface Progress {
  update(done: number, total?: number): void;
  end(): void;
}

/** Where a command prints. */
export interface Output {
  readonly json: boolean;
  /** The command's result: `human()` for people, or `value` as one JSON document. */
  result(value: unknown, human: () => string): void;
  /** One record of a stream: a line for people, or one JSON Lines line. */
  record(value: unknown, human: () => string): void;
  /** A message for the operator (stderr, so that it never mixes with JSON on stdout). */
  note(text: string): void;
  /** A progress bar on stderr when it is a terminal and the output is not JSON; else silent. */
  progress(label: string): Progress;
}

/** The streams an {@link Output} writes to (the process's by default; a spec passes its own). */
export interface OutputStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** `--json` taken out of the arguments, and the rest. */
export function takeJsonFlag(args: readonly string[]): { json: boolean; rest: string[] } {
  const rest = args.filter((a) => a !== '--json');
  return { json: rest.length !== args.length, rest };
}

const silent: Progress = { update: () => {}, end: () => {} };

/**
 * An {@link Output} for `--json` (`json: true`) or for people.
 *
 * @example
 * ```ts
 * const { json, rest } = takeJsonFlag(args);
 * const out = output(json);
 * const bar = out.progress('entities');
 * bar.update(10, 100);
 * bar.end();
 * out.result({ entities: 100 }, () => '100 entities');
 * ```
 */
export function output(
  json: boolean,
  streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr },
): Output {
  const { stdout, stderr } = streams;
  // A line printed while a bar is drawn would mix with it: the bar's line is cleared first and
  // drawn again at its next update.
  const bar = { shown: false };
  const clearBar = () => {
    if (!bar.shown) return;
    stderr.write('\r\x1b[K');
    bar.shown = false;
  };
  return {
    json,
    result: (value, human) => {
      clearBar();
      stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    record: (value, human) => {
      clearBar();
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
    note: (text) => {
      clearBar();
      stderr.write(`${text}\n`);
    },
    progress: (label) => (json || !stderr.isTTY ? silent : progressBar(label, stderr, bar)),
  };
}

function progressBar(
  label: string,
  stderr: OutputStreams['stderr'],
  bar: { shown: boolean },
): Progress {
  const started = Date.now();
  let drawnAt = 0;
  const draw = (done: number, total: number | undefined) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = `${Math.round(done / seconds)}/s`;
    if (total === undefined || total <= 0) {
      stderr.write(`\r${label}: ${done} (${rate})   `);
    } else {
      const share = Math.min(1, done / total);
      const width = 30;
      const filled = Math.round(share * width);
      const drawn = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      stderr.write(`\r${label} ${drawn} ${Math.round(share * 100)}% ${done}/${total} (${rate})   `);
    }
    bar.shown = true;
  };
  let last: [number, number | undefined] = [0, undefined];
  return {
    update: (done, total) => {
      last = [done, total];
      // A redraw per item would cost more than the work on a fast scan.
      const now = Date.now();
      if (now - drawnAt < 100) return;
      drawnAt = now;
      draw(done, total);
    },
    end: () => {
      draw(...last);
      stderr.write('\n');
      bar.shown = false;
    },
  };
}
