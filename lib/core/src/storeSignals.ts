/**
 * A process-wide tap on every EntityStore's signals (conflicts, replays, cache hits…), beside each
 * store's own `observe` option. The app owns `observe` (its metrics); a host that runs the app's
 * functions in its own process (the local runtime, whose operator console charts conflicts)
 * cannot reach those options, so it listens here instead, without the app's cooperation.
 */
import type { EntityStoreSignal } from './commands.ts';

/** Something that listens to every EntityStore's signals in this process. */
export type EntityStoreListener = (signal: EntityStoreSignal) => void;

const listeners = new Set<EntityStoreListener>();

/**
 * Listens to the signals of every EntityStore in this process, until the returned function is
 * called. A listener that throws is ignored: a command never fails because of one.
 *
 * @example
 * ```ts
 * let conflicts = 0;
 * const stop = listenToEntityStores((signal) => {
 *   if (signal.kind === 'conflict') conflicts++;
 * });
 * // ... run commands ...
 * stop();
 * ```
 */
export function listenToEntityStores(listener: EntityStoreListener): () => void {
  // A wrapper of its own, so that one function given twice is two listeners, each removed once.
  const entry: EntityStoreListener = (signal) => listener(signal);
  listeners.add(entry);
  return () => {
    listeners.delete(entry);
  };
}

/** Tells every listener; the stores call this beside their own observer. */
export function tellEntityStoreListeners(signal: EntityStoreSignal): void {
  for (const listener of listeners) {
    try {
      listener(signal);
    } catch {
      // An observer's failure is not the command's.
    }
  }
}
