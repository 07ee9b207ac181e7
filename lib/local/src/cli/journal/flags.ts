/** Flag parsing for `coffee-es journal …`: known flags only, each value present, else a usage error. */

/** A mistake in the command line: printed with the usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flags taken from `args`: those with a value, the switches, and nothing else allowed. */
export function parseFlags(
  args: readonly string[],
  spec: { readonly values: readonly string[]; readonly switches: readonly string[] },
): { readonly values: Readonly<Record<string, string>>; readonly switches: ReadonlySet<string> } {
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [name, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (name === undefined || !name.startsWith('--'))
      throw new UsageError(`Unexpected argument: ${arg}`);
    if (spec.switches.includes(name)) {
      switches.add(name);
    } else if (spec.values.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
        throw new UsageError(`${name} needs a value`);
      values[name] = value;
    } else {
      throw new UsageError(`Unknown option: ${name}`);
    }
  }
  return { values, switches };
}

/** A fraction in [0, 1], for `--sample`. */
export function parseFraction(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new UsageError(`${name} must be a number from 0 to 1, not ${text}`);
  return value;
}

/** A DynamoDB table name: 3-255 of A-Z a-z 0-9 _ - . */
export function checkTableName(name: string, text: string): string {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(text))
    throw new UsageError(`${name}: ${JSON.stringify(text)} is not a DynamoDB table name`);
  return text;
}
