/**
 * The declared tables, each built from its `TableSpec` (the shape the local runtime creates too):
 * keys, indexes, stream and TTL attribute. On-demand capacity everywhere; a `critical` table
 * also gets point-in-time recovery, deletion protection and is kept when the stack goes.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeySpec } from '../../lib/dynamodb/tables.ts';
import type { TableDeclaration } from '../../lib/system/declaration.ts';

export interface SystemTablesProps {
  readonly tables: Readonly<Record<string, TableDeclaration>>;
}

/** A deployed table and its declaration. */
export interface DeclaredTable {
  readonly table: Table;
  readonly declaration: TableDeclaration;
}

/**
 * One DynamoDB table per declared table, with no physical names (CloudFormation picks them; the
 * functions learn them from the declared environment variables).
 *
 * @example
 * ```ts
 * const tables = new SystemTables(this, 'Tables', { tables: system.tables });
 * tables.get('journal').table.grantReadData(fn);
 * ```
 */
export class SystemTables extends Construct {
  readonly #tables = new Map<string, DeclaredTable>();

  constructor(scope: Construct, id: string, props: SystemTablesProps) {
    super(scope, id);
    for (const [name, declaration] of Object.entries(props.tables)) {
      this.#tables.set(name, { table: this.#table(name, declaration), declaration });
    }
  }

  /** The table declared under `name`; throws for an undeclared one. */
  get(name: string): DeclaredTable {
    const table = this.#tables.get(name);
    if (!table) throw new Error(`No table ${name} is declared`);
    return table;
  }

  #table(name: string, declaration: TableDeclaration): Table {
    const critical = declaration.critical === true;
    const table = new Table(this, pascal(name), {
      partitionKey: attribute(declaration.partitionKey),
      ...(declaration.sortKey ? { sortKey: attribute(declaration.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...(declaration.stream ? { stream: StreamViewType[declaration.stream] } : {}),
      ...(declaration.timeToLiveAttribute
        ? { timeToLiveAttribute: declaration.timeToLiveAttribute }
        : {}),
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

function attribute(key: KeySpec) {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

/** `readModels` → `ReadModels`: construct ids read like the resources they name. */
export function pascal(name: string): string {
  return name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
