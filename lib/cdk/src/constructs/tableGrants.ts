/**
 * IAM statements for a function's declared items of one table: only the requests it declares,
 * each statement limited by `dynamodb:LeadingKeys` to the partition keys it declares. Internet-
 * facing functions can never be given a request that deletes or scans.
 */

import type { DynamoRequest, ItemAccess } from '@coffee-es/dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';

/** Requests no function reachable from the internet may send: they erase or read everything. */
export const refusedForRouteGroups: readonly DynamoRequest[] = [
  'DeleteItem',
  'BatchWriteItem',
  'Scan',
];

const writeRequests: ReadonlySet<DynamoRequest> = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
]);

/** What a consumer that declares no items may send: its reads and writes, nothing that deletes. */
const wholeTable = {
  read: ['GetItem', 'BatchGetItem', 'Query'] as DynamoRequest[],
  write: ['PutItem', 'UpdateItem', 'ConditionCheckItem'] as DynamoRequest[],
};

export interface TableGrantRequest {
  /** Who asks, for messages: `route group orders`. */
  readonly who: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly read: boolean;
  readonly write: boolean;
  readonly items: readonly ItemAccess[] | undefined;
  /** Reachable from the internet: items are required and deleting or scanning is refused. */
  readonly internetFacing: boolean;
}

/**
 * The statements a function needs on one table, or an error that names what is wrong with its
 * declaration (the synth stops there).
 *
 * @example
 * ```ts
 * tableStatements({ who, tableName: 'journal', tableArn, read: true, write: true,
 *   items: [{ keys: ['Order#*'], requests: ['Query', 'PutItem'] }], internetFacing: true });
 * ```
 */
export function tableStatements(request: TableGrantRequest): PolicyStatement[] {
  const { who, tableName } = request;
  if (!request.items) {
    if (request.internetFacing) {
      throw new Error(`${who}: declare the items of ${tableName} it reaches (items.${tableName})`);
    }
    const actions = [
      ...(request.read ? wholeTable.read : []),
      ...(request.write ? wholeTable.write : []),
    ];
    return [
      new PolicyStatement({ actions: actions.map(iamAction), resources: [request.tableArn] }),
    ];
  }
  // One statement per set of requests, with every key pattern that set is declared for.
  const byRequests = new Map<string, { requests: DynamoRequest[]; keys: Set<string> }>();
  for (const access of request.items) {
    for (const r of access.requests) check(request, r);
    if (access.keys.length === 0) throw new Error(`${who}: items of ${tableName} without keys`);
    const requests = [...new Set(access.requests)].sort();
    const id = requests.join(',');
    const entry = byRequests.get(id) ?? { requests, keys: new Set<string>() };
    for (const key of access.keys) entry.keys.add(key);
    byRequests.set(id, entry);
  }
  return [...byRequests.values()].map(
    ({ requests, keys }) =>
      new PolicyStatement({
        actions: requests.map(iamAction),
        resources: [request.tableArn],
        // ForAllValues: every key of the request (all of a batch's) must match a pattern.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys].sort() } },
      }),
  );
}

function check(request: TableGrantRequest, r: DynamoRequest): void {
  const { who, tableName } = request;
  if (request.internetFacing && refusedForRouteGroups.includes(r)) {
    throw new Error(`${who}: ${r} on ${tableName} is refused to functions the internet reaches`);
  }
  if (writeRequests.has(r) && !request.write) {
    throw new Error(`${who}: ${r} on ${tableName}, which it does not declare it writes`);
  }
  if (!writeRequests.has(r) && !request.read) {
    throw new Error(`${who}: ${r} on ${tableName}, which it does not declare it reads`);
  }
}

/**
 * KMS actions on a table's customer-managed key: DynamoDB uses the key on the caller's behalf,
 * so the caller needs them (AWS-managed keys need none).
 */
export function tableKeyStatement(key: IKey, write: boolean): PolicyStatement {
  return new PolicyStatement({
    actions: [
      'kms:Decrypt',
      'kms:DescribeKey',
      ...(write ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
    ],
    resources: [key.keyArn],
  });
}

const iamAction = (r: DynamoRequest) => `dynamodb:${r}`;
