/**
 * Reservation ids and the slot's live reservations. A reservation id is
 * `<branchId>.<slotId>.r<n>`, n counting the slot's reservations from 1: any n up to the count was
 * issued, so a number that is no longer live was released. That is what lets the state keep only
 * live reservations. Ids made before numbering end in a ULID instead ("legacy").
 */

/**
 * A live reservation: its number in the slot, the drinks it holds and, when a customer made it,
 * who holds it (the only one besides staff who may release it).
 */
export type LiveReservation = readonly [number: number, quantity: number, holder?: string];

/** A reservation made before numbering, kept as it was (no new ones are ever made). */
export interface LegacyReservation {
  /** The last part of its id. */
  readonly id: string;
  readonly quantity: number;
  readonly released: boolean;
}

const idPart = /^[A-Za-z0-9_-]{1,64}$/;
const numbered = /^r([1-9][0-9]{0,14})$/;

export const reservationIdOf = (branchId: string, slotId: string, unique: string): string =>
  `${branchId}.${slotId}.${unique}`;

/** The id of the slot's n-th reservation. */
export const numberedReservationId = (branchId: string, slotId: string, n: number): string =>
  reservationIdOf(branchId, slotId, `r${n}`);

export function parseReservationId(
  id: string,
): { branchId: string; slotId: string; unique: string } | undefined {
  const parts = id.split('.');
  if (parts.length !== 3 || !parts.every((part) => idPart.test(part))) return undefined;
  const [branchId, slotId, unique] = parts as [string, string, string];
  return { branchId, slotId, unique };
}

/** The reservation's number, or undefined for a legacy (or malformed) id. */
export function reservationNumber(id: string): number | undefined {
  const match = numbered.exec(parseReservationId(id)?.unique ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * What the slot knows of a reservation: live (with its holder, if any), released, or unknown.
 * Released ones are not kept, so their holder is not known any more.
 */
export function reservationStatus(
  state: {
    readonly issued: number;
    readonly live: readonly LiveReservation[];
    readonly legacy: readonly LegacyReservation[];
  },
  id: string,
):
  | { readonly status: 'live'; readonly holder: string | undefined }
  | { readonly status: 'released' | 'unknown' } {
  const n = reservationNumber(id);
  if (n === undefined) {
    const legacy = state.legacy.find((r) => r.id === uniquePart(id));
    if (!legacy) return { status: 'unknown' };
    return legacy.released ? { status: 'released' } : { status: 'live', holder: undefined };
  }
  const live = findLive(state.live, n);
  if (live) return { status: 'live', holder: live[2] };
  return { status: n <= state.issued ? 'released' : 'unknown' };
}

/** The last part of an id: how legacy reservations are kept. */
export const uniquePart = (id: string): string => parseReservationId(id)?.unique ?? id;

/** Index of reservation `n` in `live` (sorted by number), or where it would go. */
function indexOf(live: readonly LiveReservation[], n: number): number {
  let low = 0;
  let high = live.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((live[middle]?.[0] ?? 0) < n) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function findLive(live: readonly LiveReservation[], n: number): LiveReservation | undefined {
  const found = live[indexOf(live, n)];
  return found?.[0] === n ? found : undefined;
}

export function withLive(
  live: readonly LiveReservation[],
  reservation: LiveReservation,
): readonly LiveReservation[] {
  const last = live.at(-1);
  // New numbers are always the highest: appending is the usual case.
  if (!last || last[0] < reservation[0]) return [...live, reservation];
  const at = indexOf(live, reservation[0]);
  const rest = live[at]?.[0] === reservation[0] ? at + 1 : at;
  return [...live.slice(0, at), reservation, ...live.slice(rest)];
}

export function withoutLive(
  live: readonly LiveReservation[],
  n: number,
): readonly LiveReservation[] {
  const at = indexOf(live, n);
  return live[at]?.[0] === n ? [...live.slice(0, at), ...live.slice(at + 1)] : live;
}
