/**
 * HTTP idempotency beyond what commits carry: the answer to a request that wrote nothing (a 4xx),
 * and the id a create request chose, so that a repeat lands on the same entity.
 */
export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly etag?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IdempotencyRecord {
  /** Method + path + client key. */
  readonly scope: string;
  readonly fingerprint: string;
  readonly entityId?: string;
  readonly answer?: StoredAnswer;
}

export interface IdempotencyRecords {
  /** Strongly consistent read of the record, if any. */
  get(scope: string): Promise<IdempotencyRecord | undefined>;
  /** Writes the record unless one exists; returns the record that is stored afterwards. */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord>;
  /** Stores the final answer (keeping a claimed entity id). */
  saveAnswer(scope: string, fingerprint: string, answer: StoredAnswer): Promise<void>;
}
