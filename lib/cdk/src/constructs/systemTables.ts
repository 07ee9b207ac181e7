/**
 * The declared tables, each built from its `TableSpec` (the shape the local runtime creates too):
 * keys, indexes, stream and TTL attribute. On-demand capacity, capped where the stage asks; a
 * `critical` table also gets point-in-time recovery, deletion protection, is kept when the stack
 * goes, and denies item deletion to everyone but the account's operators.
 */

import type { TableDeclaration } from '@coffee-es/aws-lambda';
import type { KeySpec } from '@coffee-es/dynamodb';
import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The declared tables, their encryption keys and request caps. */
export interface SystemTablesProps {
  readonly tables: Readonly<Record<string, TableDeclaration>>;
  /** A KMS key of this stack per table, rotated yearly (prod); else the AWS-managed key. */
  readonly customerManagedKeys: boolean;
  /** On-demand ceilings per table and index; absent means none. */
  readonly caps?: { readonly maxReadRequestUnits?: number; readonly maxWriteRequestUnits?: number };
  /** IAM principal ARN patterns, besides the account's root user, that may delete critical items. */
  readonly operators?: readonly string[];
}

/** A deployed table and its declaration. */
export interface DeclaredTable {
  readonly table: Table;
  readonly declaration: TableDeclaration;
}

/** Item deletion in every form a request can take: one item, a batch, a PartiQL statement. */
export const itemDeletionActions = [
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLDelete',
] as const;

/**
 * One DynamoDB table per declared table, with no physical names (CloudFormation picks them; the
 * functions learn them from the declared environment variables).
 *
 * @example
 * ```ts
 * const tables = new SystemTables(this, 'Tables', { tables: system.tables, customerManagedKeys: false });
 * tables.get('journal').table.tableName;
 * ```
 */
export class SystemTables extends Construct {
  readonly #tables = new Map<string, DeclaredTable>();

  constructor(scope: Construct, id: string, props: SystemTablesProps) {
    super(scope, id);
    for (const [name, declaration] of Object.entries(props.tables)) {
      this.#tables.set(name, { table: this.#table(name, declaration, props), declaration });
    }
  }

  /** The table declared under `name`; throws for an undeclared one. */
  get(name: string): DeclaredTable {
    const table = this.#tables.get(name);
    if (!table) throw new Error(`No table ${name} is declared`);
    return table;
  }

  #table(name: string, declaration: TableDeclaration, props: SystemTablesProps): Table {
    const critical = declaration.critical === true;
    const caps = props.caps ?? {};
    const table = new Table(this, pascal(name), {
      partitionKey: attribute(declaration.partitionKey),
      ...(declaration.sortKey ? { sortKey: attribute(declaration.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...caps,
      ...(declaration.stream ? { stream: StreamViewType[declaration.stream] } : {}),
      ...(declaration.timeToLiveAttribute
        ? { timeToLiveAttribute: declaration.timeToLiveAttribute }
        : {}),
      ...(props.customerManagedKeys
        ? {
            encryption: TableEncryption.CUSTOMER_MANAGED,
            encryptionKey: new Key(this, `${pascal(name)}Key`, {
              description: `Encrypts the ${name} table`,
              enableKeyRotation: true,
              // Whatever the table kept (and its backups) is unreadable without the key.
              removalPolicy: RemovalPolicy.RETAIN,
            }),
          }
        : { encryption: TableEncryption.AWS_MANAGED }),
      ...(critical ? { resourcePolicy: noItemDeletion(props.operators ?? []) } : {}),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: critical },
      deletionProtection: critical,
      // The journal is the only source of truth; read models are rebuilt from it.
      removalPolicy: critical ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of declaration.indexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: ProjectionType[index.projection],
        ...caps,
      });
    }
    if (!critical) {
      Validations.of(table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Not critical: everything in it is derived from the journal and can be rebuilt from it; the journal has point-in-time recovery.',
      });
    }
    return table;
  }
}

/**
 * Denies deleting items to every principal whose ARN is not the account's root user or one of
 * `operators`: a function, even one given DeleteItem by mistake, cannot erase history. TTL
 * expiry is DynamoDB's own deletion and is not affected.
 */
function noItemDeletion(operators: readonly string[]): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'OnlyOperatorsDeleteItems',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...itemDeletionActions],
        // The table's own ARN would be a circular reference; in a table's policy, * is the table.
        resources: ['*'],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`, ...operators],
          },
        },
      }),
    ],
  });
}

function attribute(key: KeySpec) {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

/** `readModels` → `ReadModels`: construct ids read like the resources they name. */
export function pascal(name: string): string {
  return name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
