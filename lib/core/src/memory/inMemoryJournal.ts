/**
 * A journal in process memory with the same contract as the DynamoDB one: for unit tests of code
 * built on the framework, and as the reference the journal contract suite checks adapters against.
 */
import { AppendConflict } from '../journalErrors.ts';
import type {
  Commit,
  Journal,
  LoadedCommits,
  Note,
  ScanCursor,
  ScanPage,
  StoredSnapshot,
} from '../ports.ts';

/**
 * A {@link Journal} in memory, with the same contract as the DynamoDB one (conditional appends,
 * notes, scans): for unit tests and examples. It counts its requests, so tests can assert
 * request budgets.
 *
 * @example
 * ```ts
 * const journal = new InMemoryJournal();
 * const counters = new EntityStore(counter, { journal });
 * await counters.execute('c-1', { type: 'Increment', data: { by: 1 } });
 * expect(journal.requests.append).toBe(1);
 * ```
 */
export class InMemoryJournal implements Journal {
  readonly #streams = new Map<string, Commit[]>();
  /** The note at each stream's next position, if any. */
  readonly #notes = new Map<string, Note>();
  /** Requests served, by operation: lets tests assert request budgets. */
  readonly requests = { load: 0, readAfter: 0, readAt: 0, append: 0, scan: 0, list: 0 };

  async loadLatest(
    streamId: string,
    isUsable: (snapshot: StoredSnapshot) => boolean,
    options: { pageSize: number },
  ): Promise<LoadedCommits> {
    const commits = this.#streams.get(streamId) ?? [];
    let start = commits.length;
    let requests = 0;
    let read = 0;
    while (start > 0) {
      start--;
      if (read++ % options.pageSize === 0) requests++;
      const snapshot = commits[start]?.snapshot;
      if (snapshot && isUsable(snapshot)) break;
    }
    this.requests.load += Math.max(requests, 1);
    return { commits: commits.slice(start), requests: Math.max(requests, 1) };
  }

  async readAfter(
    streamId: string,
    afterPosition: number,
    options: { limit?: number } = {},
  ): Promise<readonly Commit[]> {
    this.requests.readAfter++;
    const commits = (this.#streams.get(streamId) ?? []).filter((c) => c.from > afterPosition);
    return commits.slice(0, options.limit ?? commits.length);
  }

  async readContaining(streamId: string, position: number): Promise<Commit | undefined> {
    this.requests.readAt++;
    return this.#streams.get(streamId)?.find((c) => c.from <= position && position <= c.to);
  }

  async readAt(streamId: string, from: number): Promise<Commit | undefined> {
    this.requests.readAt++;
    return this.#streams.get(streamId)?.find((c) => c.from === from);
  }

  async findKeyed(
    streamId: string,
    idempotencyKey: string,
    range: readonly [number, number],
  ): Promise<Commit | undefined> {
    this.requests.readAfter++;
    return this.#streams
      .get(streamId)
      ?.find(
        (c) => c.from >= range[0] && c.from <= range[1] && c.idempotencyKey === idempotencyKey,
      );
  }

  async append(commit: Commit, replacing?: Note): Promise<void> {
    this.requests.append++;
    const commits = this.#streams.get(commit.streamId) ?? [];
    const existing = commits.find((c) => c.from === commit.from);
    if (existing) throw new AppendConflict(commit.streamId, commit.from, existing);
    this.#checkNote(commit.streamId, commit.from, replacing);
    this.#notes.delete(commit.streamId);
    const last = commits.at(-1);
    if (commit.from !== (last?.to ?? 0) + 1) {
      // Only possible for a writer that invented its position: the framework never does.
      throw new AppendConflict(commit.streamId, commit.from, undefined);
    }
    commits.push(structuredClone(commit));
    this.#streams.set(commit.streamId, commits);
  }

  async writeNote(note: Note, replacing?: Note): Promise<void> {
    this.requests.append++;
    const commits = this.#streams.get(note.streamId) ?? [];
    const existing = commits.find((c) => c.from === note.position);
    if (existing) throw new AppendConflict(note.streamId, note.position, existing);
    this.#checkNote(note.streamId, note.position, replacing);
    this.#notes.set(note.streamId, structuredClone(note));
  }

  #checkNote(streamId: string, position: number, replacing: Note | undefined): void {
    const held = this.#notes.get(streamId);
    const here = held?.position === position ? held : undefined;
    if (
      here?.revision === replacing?.revision &&
      (here === undefined) === (replacing === undefined)
    )
      return;
    throw new AppendConflict(streamId, position, undefined, here ? { note: here } : {});
  }

  async listStreams(entityType: string): Promise<{ streamIds: readonly string[] }> {
    this.requests.list++;
    const streamIds = [...this.#streams.values()]
      .filter((commits) => commits[0]?.entityType === entityType)
      .map((commits) => commits[0]?.streamId ?? '');
    return { streamIds };
  }

  async scan(options: {
    segment: number;
    totalSegments: number;
    entityTypes?: readonly string[];
    cursor?: ScanCursor;
  }): Promise<ScanPage> {
    this.requests.scan++;
    const streams = [...this.#streams.entries()].filter(
      (_, i) => i % options.totalSegments === options.segment,
    );
    const commits = streams
      .flatMap(([, c]) => c)
      .filter((c) => !options.entityTypes || options.entityTypes.includes(c.entityType));
    return { commits };
  }
}
