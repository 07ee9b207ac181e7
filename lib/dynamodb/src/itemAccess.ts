/**
 * Which DynamoDB requests each adapter of this folder sends, and to which items: the facts a
 * declaration's `items` are built from, so that the deployed roles allow what the code does and
 * nothing more. Change an adapter's requests here when they change there.
 */
import { streamIdOf } from '@coffee-es/core';
import { claimKey } from './claimingJournal.ts';

/** A DynamoDB request, by its API name (the IAM action is `dynamodb:<name>`). */
export type DynamoRequest =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/**
 * Some items of a table and the requests a function sends to them. The deployed role allows
 * exactly these requests, and only on items whose partition key matches one of `keys`
 * (a `dynamodb:LeadingKeys` condition).
 */
export interface ItemAccess {
  /** Partition-key patterns, `*` for any characters: `Order#*` is every order's stream. */
  readonly keys: readonly string[];
  readonly requests: readonly DynamoRequest[];
}

/**
 * Reading an entity: `DynamoJournal` loads, pages and finds keyed commits with Query and looks up
 * one commit with GetItem (after an unknown outcome); `DynamoStateStore.get` is a GetItem.
 */
export const entityReads: readonly DynamoRequest[] = ['Query', 'GetItem'];
/**
 * Changing an entity: a conditional PutItem (`DynamoJournal.append` and its refusal notes,
 * `DynamoStateStore.put`). Keyed requests need nothing else: their records live in the stream.
 */
export const entityWrites: readonly DynamoRequest[] = ['PutItem'];
/** Read-model queries are Query on one partition. */
export const readModelQueries: readonly DynamoRequest[] = ['Query'];
/**
 * `DynamoReadModelStore` on the live stream: documents (GetItem, conditional PutItem), counters
 * and their markers (TransactWriteItems of Put and Update, confirmed with BatchGetItem), status
 * (UpdateItem). Rebuilds (Scan, BatchWriteItem) run as an operator, not in a function.
 */
export const readModelWrites: readonly DynamoRequest[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'BatchGetItem',
];

/**
 * The journal items of entities of some types, and what is done to them.
 *
 * @example
 * ```ts
 * entityItems(['Order'], [...entityReads, ...entityWrites]); // Order#* : Query, GetItem, PutItem
 * ```
 */
export function entityItems(
  entityTypes: readonly string[],
  requests: readonly DynamoRequest[],
): ItemAccess {
  return { keys: entityTypes.map((type) => `${streamIdOf(type, '')}*`), requests };
}

/**
 * The claim items of `ClaimingJournal`: its transactional appends put a claim (Put) and check
 * the claims a commit requires (ConditionCheck); the commit itself is the entity's PutItem.
 */
export const claimItems: ItemAccess = {
  keys: [`${claimKey('')}*`],
  requests: ['PutItem', 'ConditionCheckItem'],
};
