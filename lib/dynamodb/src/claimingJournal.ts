/**
 * A journal whose appends carry claims (see `core/claims.ts`): a commit with claims is written in
 * one `TransactWriteItems` with a claim item per key (`attribute_not_exists`) and a condition
 * check per required key (`attribute_exists`). Claim items live in the journal table under
 * `Claim#<key>`, have no TTL (a claim must outlive every redelivery, including a replay of the
 * journal), and are not commits, so stream consumers filter them out. Commits without claims
 * take the plain single `PutItem`; every read goes to the wrapped journal.
 */
import { type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import {
  AppendConflict,
  ClaimMissingError,
  type ClaimsOf,
  ClaimTakenError,
  type Commit,
  CommitTooLargeError,
  type Journal,
  type Note,
} from '@coffee-es/core';
import { attr, type Item, isCommitItem, itemToCommit } from './codec.ts';
import { isItemTooLarge, translateWriteError } from './errors.ts';
import { fitCommit, maxItemBytes } from './itemSize.ts';
import type { JournalRequest } from './journal.ts';
import { isNoteItem, itemToNote, positionCondition } from './noteItems.ts';

/** The table, the journal it wraps, and how to tell a commit's claims. */
export interface ClaimingJournalOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The journal every read and every claim-less append goes to (on the same table). */
  readonly journal: Journal;
  readonly claimsOf: ClaimsOf;
  readonly clock?: () => Date;
  readonly onRequest?: (request: JournalRequest | ClaimRequest) => void;
}

/** A transactional append, with what it cost. */
export interface ClaimRequest {
  readonly operation: 'TransactWriteItems';
  readonly capacityUnits: number;
  readonly items: number;
}

/** Partition key of a claim item. */
export const claimKey = (key: string) => `Claim#${key}`;

interface CancellationReason {
  readonly Code?: string;
  readonly Item?: Item;
}

/**
 * A {@link Journal} whose commits may claim unique keys (a customer's e-mail, say) in the same
 * transaction as the append: two streams can never hold the same claim. An append that takes a
 * claim someone holds throws `ClaimTakenError`; one that requires a missing claim,
 * `ClaimMissingError`; a position already written, `AppendConflict`.
 *
 * @example
 * ```ts
 * const journal = new ClaimingJournal({
 *   client, tableName, journal: new DynamoJournal({ client, tableName }), claimsOf: loyaltyClaims,
 * });
 * ```
 */
export class ClaimingJournal implements Journal {
  readonly loadLatest: Journal['loadLatest'];
  readonly readAfter: Journal['readAfter'];
  readonly readContaining: Journal['readContaining'];
  readonly readAt: Journal['readAt'];
  readonly findKeyed: Journal['findKeyed'];
  readonly listStreams: Journal['listStreams'];
  readonly scan: Journal['scan'];

  constructor(private readonly options: ClaimingJournalOptions) {
    const inner = options.journal;
    this.loadLatest = inner.loadLatest.bind(inner);
    this.readAfter = inner.readAfter.bind(inner);
    this.readContaining = inner.readContaining.bind(inner);
    this.readAt = inner.readAt.bind(inner);
    this.findKeyed = inner.findKeyed.bind(inner);
    this.listStreams = inner.listStreams.bind(inner);
    this.scan = inner.scan.bind(inner);
  }

  writeNote(note: Note, replacing?: Note): Promise<void> {
    return this.options.journal.writeNote(note, replacing);
  }

  async append(commit: Commit, replacing?: Note): Promise<void> {
    const { claims, requires } = this.options.claimsOf(commit);
    if (claims.length === 0 && requires.length === 0) {
      return this.options.journal.append(commit, replacing);
    }
    // As the plain append: a snapshot that would make the commit too large is left off it.
    const { item, sizeBytes: size } = fitCommit(commit);
    const table = this.options.tableName;
    const claimedAt = (this.options.clock ?? (() => new Date()))().toISOString();
    const claimItem = (key: string): Item => ({
      [attr.pk]: { S: claimKey(key) },
      [attr.sk]: { N: '0' },
      [attr.kind]: { S: 'claim' },
      by: { S: `${commit.streamId}@${commit.from}` },
      at: { S: claimedAt },
    });
    const notThere = { ConditionExpression: 'attribute_not_exists(#pk)', ...pkName };
    try {
      const out = await this.options.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: item,
                // The position is free, or holds the note of refusals this commit carries on.
                ...positionCondition(replacing),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            ...claims.map((key) => ({
              Put: { TableName: table, Item: claimItem(key), ...notThere },
            })),
            ...requires.map((key) => ({
              ConditionCheck: {
                TableName: table,
                Key: { [attr.pk]: { S: claimKey(key) }, [attr.sk]: { N: '0' } },
                ConditionExpression: 'attribute_exists(#pk)',
                ...pkName,
              },
            })),
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      const units = (out.ConsumedCapacity ?? []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      this.options.onRequest?.({
        operation: 'TransactWriteItems',
        capacityUnits: units,
        items: 1 + claims.length + requires.length,
      });
    } catch (error) {
      throw refusal(error, commit, claims, requires) ?? appendError(error, commit, size);
    }
  }
}

const pkName = { ExpressionAttributeNames: { '#pk': attr.pk } };

/** Which condition cancelled the transaction: the commit's position first, then the claims. */
function refusal(
  error: unknown,
  commit: Commit,
  claims: readonly string[],
  requires: readonly string[],
): Error | undefined {
  if ((error as { name?: string })?.name !== 'TransactionCanceledException') return undefined;
  const reasons = ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ??
    []) as CancellationReason[];
  const failed = (r: CancellationReason | undefined) => r?.Code === 'ConditionalCheckFailed';
  const [own, ...rest] = reasons;
  if (failed(own) || reasons.some((r) => r.Code === 'TransactionConflict')) {
    // The position is taken (the store catches up and decides again), or another transaction
    // touched the same items: nothing was written either way.
    const existing = own?.Item;
    return new AppendConflict(
      commit.streamId,
      commit.from,
      existing && isCommitItem(existing) ? itemToCommit(existing) : undefined,
      { cause: error, ...(existing && isNoteItem(existing) ? { note: itemToNote(existing) } : {}) },
    );
  }
  const taken = claims.filter((_, i) => failed(rest[i]));
  if (taken.length > 0) return new ClaimTakenError(commit.streamId, taken, { cause: error });
  const missing = requires.filter((_, i) => failed(rest[claims.length + i]));
  if (missing.length > 0) return new ClaimMissingError(commit.streamId, missing, { cause: error });
  return undefined;
}

function appendError(error: unknown, commit: Commit, size: number): unknown {
  if (isItemTooLarge(error)) {
    return new CommitTooLargeError(commit.streamId, size, maxItemBytes, { cause: error });
  }
  return translateWriteError(error, 'append');
}
