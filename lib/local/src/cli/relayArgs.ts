/** The arguments of `coffee-es relay`, checked before anything connects. */

export type RelayCommand =
  | { kind: 'replay'; from: { time: Date } | { position: number }; streamId?: string }
  | { kind: 'failures' };

/** The command the arguments ask for, or what is wrong with them. */
export function parseRelayArgs(args: readonly string[]): RelayCommand | string {
  const [command, ...rest] = args;
  if (command === 'failures') {
    return rest.length === 0 ? { kind: 'failures' } : 'failures takes no arguments';
  }
  if (command !== 'replay') return command ? `Unknown command: ${command}` : 'No command given';
  const flags = parseFlags(rest);
  if (typeof flags === 'string') return flags;
  const from = flags.get('--from');
  if (from === undefined) return 'replay needs --from';
  return parseFrom(from, flags.get('--stream'));
}

function parseFlags(rest: readonly string[]): Map<string, string> | string {
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [name, value] = [rest[i], rest[i + 1]];
    if (name !== '--from' && name !== '--stream') return `Unknown option: ${name}`;
    if (value === undefined || value.startsWith('--')) return `${name} needs a value`;
    flags.set(name, value);
  }
  return flags;
}

function parseFrom(from: string, streamId: string | undefined): RelayCommand | string {
  if (/^\d+$/.test(from)) {
    const position = Number(from);
    if (position < 1) return '--from: positions start at 1';
    if (streamId === undefined) return '--from <position> needs --stream <streamId>';
    return { kind: 'replay', from: { position }, streamId };
  }
  const time = Date.parse(from);
  if (!/^\d{4}-\d\d-\d\d/.test(from) || Number.isNaN(time)) {
    return `--from: "${from}" is neither a position nor an ISO 8601 time`;
  }
  return { kind: 'replay', from: { time: new Date(time) }, ...(streamId ? { streamId } : {}) };
}
