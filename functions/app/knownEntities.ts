/**
 * Existence checks that cannot change: a branch or customer that exists stays existing (neither
 * can be deleted), so a warm container answers "exists" from memory after the first read. A
 * miss is never remembered: the entity may be created a moment later.
 */
import { LruCache } from '@coffee-es/core';

export class KnownEntities {
  readonly #known: LruCache<string, true>;

  constructor(
    readonly lookups: Readonly<Record<'branch' | 'customer', (id: string) => Promise<boolean>>>,
    capacity = 10_000,
  ) {
    this.#known = new LruCache(capacity);
  }

  branch(id: string): Promise<boolean> {
    return this.#exists('branch', id);
  }

  customer(id: string): Promise<boolean> {
    return this.#exists('customer', id);
  }

  async #exists(kind: 'branch' | 'customer', id: string): Promise<boolean> {
    const key = `${kind} ${id}`;
    if (this.#known.get(key)) return true;
    const found = await this.lookups[kind](id);
    if (found) this.#known.set(key, true);
    return found;
  }
}
