/**
 * Ports: what the core needs from storage. Adapters (DynamoDB, in-memory) implement them and
 * translate their own failures into the errors of `errors.ts`.
 */

/** An event as stored: its payload is in the schema version it was written with. */
export interface StoredEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** The state after a commit, stored with that commit. */
export interface StoredSnapshot {
  readonly schemaVersion: number;
  readonly state: unknown;
  /** Idempotency keys (hashed) of recent keyed commits up to this one, with their positions. */
  readonly recentKeys: readonly RecentKey[];
  /** Keys pushed out of `recentKeys` by its cap while still remembered: Bloom filters by time. */
  readonly spilledKeys?: readonly StoredSpill[];
}

/**
 * `[hash of the idempotency key, position of its commit, epoch seconds it was used]` (the time is
 * missing in snapshots written before keys were remembered by time).
 */
export type RecentKey = readonly [keyHash: string, position: number, at?: number];

/** A time bucket of spilled keys: a Bloom filter (base64) and the positions its keys came from. */
export interface StoredSpill {
  readonly start: number;
  readonly lo: number;
  readonly hi: number;
  readonly bits: string;
}

/** One command's events, written atomically as one record. */
export interface Commit {
  readonly streamId: string;
  readonly entityType: string;
  /** Position of the first event; the record's key. Equals the previous version + 1. */
  readonly from: number;
  /** Position of the last event: the stream's version after this commit. */
  readonly to: number;
  readonly events: readonly StoredEvent[];
  readonly recordedAt: string;
  readonly commandId: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** Fingerprint of the command the idempotency key was first used with. */
  readonly fingerprint?: string;
  /** What the command answered, kept so that a replay answers the same. */
  readonly reply?: unknown;
  readonly snapshot?: StoredSnapshot;
  readonly tags?: readonly string[];
  /**
   * Keyed commands refused at this position before this commit took it (carried forward from
   * the note they left there), so that their repeats answer the same refusal.
   */
  readonly refusals?: readonly Refusal[];
}

/** A keyed command's refusal, kept so that a repeat of the key answers the same. */
export interface Refusal {
  readonly key: string;
  readonly fingerprint?: string;
  /** The answer, opaque to the core (the HTTP edge stores its problem response). */
  readonly answer: unknown;
  /** Epoch seconds of the refusal. */
  readonly at: number;
}

/**
 * Refusals of keyed commands, kept at the stream's next free position until a commit takes it
 * (and carries them forward): the write that would have been a repeat's commit meets them.
 * Readers of commits never see notes.
 */
export interface Note {
  readonly streamId: string;
  readonly entityType: string;
  /** The position the note holds: the stream's version + 1. */
  readonly position: number;
  readonly refusals: readonly Refusal[];
  /** Grows with each refusal added: the condition of the next write of this position. */
  readonly revision: number;
  /** Epoch seconds after which the store may delete the note (its refusals are forgotten). */
  readonly expiresAt: number;
}

/** The result of loading a stream from its latest usable snapshot. */
export interface LoadedCommits {
  /** Oldest first. The first may carry the snapshot the load stopped at. */
  readonly commits: readonly Commit[];
  /** How many requests the load took (for metrics and tests). */
  readonly requests: number;
}

/** Options of a journal or state-store read. */
export interface ReadOptions {
  /** Strongly consistent read (sees every acknowledged write). Default false. */
  readonly consistent?: boolean;
}

/** Where one scan of the journal is: pass it back to continue. */
export type ScanCursor = Readonly<Record<string, unknown>>;

/** One page of a journal scan: its commits, and the cursor of the next page if there is one. */
export interface ScanPage {
  readonly commits: readonly Commit[];
  readonly next?: ScanCursor;
}

/**
 * The event journal. Appends are conditional on the commit's `from` position being free: that
 * is the single-writer guarantee.
 */
export interface Journal {
  /**
   * Reads the stream newest first until `isUsable` accepts a commit's snapshot (or the stream's
   * start), and returns those commits oldest first.
   */
  loadLatest(
    streamId: string,
    isUsable: (snapshot: StoredSnapshot) => boolean,
    options: ReadOptions & { readonly pageSize: number },
  ): Promise<LoadedCommits>;

  /** Commits whose `from` is greater than `afterPosition`, oldest first, at most `limit` of them. */
  readAfter(
    streamId: string,
    afterPosition: number,
    options?: ReadOptions & { readonly limit?: number },
  ): Promise<readonly Commit[]>;

  /** The commit containing `position`, if any. */
  readContaining(
    streamId: string,
    position: number,
    options?: ReadOptions,
  ): Promise<Commit | undefined>;

  /** The commit starting exactly at `from`, if any. */
  readAt(streamId: string, from: number, options?: ReadOptions): Promise<Commit | undefined>;

  /**
   * The commit within positions `lo`..`hi` that carries `idempotencyKey`, if any: the lookup for
   * keys an entity's bounded key memory no longer holds exactly. Reads the whole range.
   */
  findKeyed(
    streamId: string,
    idempotencyKey: string,
    range: readonly [lo: number, hi: number],
  ): Promise<Commit | undefined>;

  /**
   * Writes the commit if no record exists at its `from` position, or if the record there is
   * exactly the note `replacing` (which the commit then carries forward).
   * @throws AppendConflict when another record is there (carrying it, when the store returns it)
   */
  append(commit: Commit, replacing?: Note): Promise<void>;

  /**
   * Writes a note at its position, which must be free, or hold exactly `replacing`.
   * @throws AppendConflict when another record is there
   */
  writeNote(note: Note, replacing?: Note): Promise<void>;

  /** Ids of the streams of one entity type (each stream once), for rebuilds. */
  listStreams(
    entityType: string,
    cursor?: ScanCursor,
  ): Promise<{ streamIds: readonly string[]; next?: ScanCursor }>;

  /** One page of one segment of a parallel scan over all commits (optionally of some types). */
  scan(options: {
    readonly segment: number;
    readonly totalSegments: number;
    readonly entityTypes?: readonly string[];
    readonly cursor?: ScanCursor;
  }): Promise<ScanPage>;
}

/** A durable-state record: one item per entity, replaced whole under a revision check. */
export interface StateRecord {
  readonly key: string;
  readonly entityType: string;
  readonly revision: number;
  readonly state: unknown;
  readonly schemaVersion: number;
  readonly updatedAt: string;
  /**
   * Unique per update: lets a writer recognise its own write after a lost answer (the SDK's retry
   * of an applied write meets its own revision, not someone else's).
   */
  readonly writeId?: string;
}

/**
 * The port durable-state entities are stored through: one record per entity, replaced under a
 * revision check. `DynamoStateStore` implements it.
 */
export interface StateStore {
  get(key: string, options?: ReadOptions): Promise<StateRecord | undefined>;
  /**
   * Writes `record` if the stored revision is `record.revision - 1` (absent when 1). A stored
   * record with the same `writeId` is this very write, applied earlier: that is a success.
   * @throws RevisionConflictError when another write holds the revision
   * @throws AmbiguousWriteError when the outcome is unknown
   */
  put(record: StateRecord): Promise<void>;
}
