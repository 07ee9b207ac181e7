/**
 * The arguments of the operator commands: named flags (`--from 3`, `--from=3`, `--follow`) and
 * positionals, checked before anything connects, so that bad input exits 2 with a message.
 */

/** Bad input: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** What each flag takes: a value (`--from 3`) or nothing (`--follow`). */
export type FlagSpec = Readonly<Record<string, 'value' | 'boolean'>>;

/** The parsed arguments: flag values by name (without the dashes), and the positionals. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | true>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `args` against `spec`; throws a {@link UsageError} for an unknown flag or a missing value.
 *
 * @example
 * ```ts
 * const { flags, positionals } = parseFlags(['Order', 'o-1', '--from', '3'], { from: 'value' });
 * // flags.from === '3', positionals = ['Order', 'o-1']
 * ```
 */
export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`Unknown option: --${name}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { flags, positionals };
}

/** A flag's value as a whole number ≥ `min`, or undefined when absent; else a UsageError. */
export function intFlag(parsed: ParsedArgs, name: string, min: number): number | undefined {
  const value = parsed.flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${String(value)}`);
  return Number(value);
}
