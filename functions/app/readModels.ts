/** Queries of the read models (eventual): order history, daily sales, availability, status. */
import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { translateReadError } from '@coffee-es/dynamodb';
import { projectionNames, readModelKeys } from '../projections/keys.ts';

type Item = Record<string, unknown>;

export class ReadModels {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string | undefined,
  ) {}

  async customerOrders(customerId: string) {
    const items = await this.#query(readModelKeys.customerOrders(customerId).pk, {
      newestFirst: true,
      limit: 100,
    });
    return items.map((i) => ({
      orderId: i.orderId,
      branchId: i.branchId,
      status: i.status,
      total: i.total,
      placedAt: i.placedAt,
    }));
  }

  async dailySales(branchId: string, date: string) {
    const key = readModelKeys.dailySales(branchId, date);
    const items = await this.#query(key.pk, { sk: key.sk });
    const totals = items[0] ?? {};
    const revenue = Number(totals.revenue ?? 0);
    const refunds = Number(totals.refunds ?? 0);
    return {
      branchId,
      date,
      paidOrders: Number(totals.paidOrders ?? 0),
      revenue,
      refunds,
      net: revenue - refunds,
    };
  }

  async availability(branchIds: readonly string[], from: string, to: string, quantity: number) {
    const perBranch = await Promise.all(
      branchIds.map((branchId) => this.#query(readModelKeys.branchSlots(branchId).pk, {})),
    );
    return perBranch
      .flat()
      .filter(
        (s) =>
          String(s.startsAt) >= from && String(s.startsAt) < to && Number(s.remaining) >= quantity,
      )
      .map((s) => ({
        branchId: s.branchId,
        slotId: s.slotId,
        startsAt: s.startsAt,
        capacity: s.capacity,
        remaining: s.remaining,
      }))
      .sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
  }

  async projectionStatus() {
    const items = await this.#query(readModelKeys.projectionStatus.pk, {});
    const byName = new Map(items.map((i) => [String(i.sk), i]));
    return projectionNames.map((name) => {
      const item = byName.get(name);
      return {
        name,
        ...(item?.position === undefined ? {} : { position: item.position }),
        ...(item?.lastEventAt === undefined ? {} : { lastEventAt: item.lastEventAt }),
        ...(item?.lastEventAt === undefined ? {} : { lagMs: Math.max(0, Number(item.lagMs ?? 0)) }),
        processed: Number(item?.processed ?? 0),
        failed: Number(item?.failed ?? 0),
      };
    });
  }

  async #query(
    pk: string,
    options: { sk?: string; newestFirst?: boolean; limit?: number },
  ): Promise<Item[]> {
    if (!this.tableName) throw new Error('READ_MODEL_TABLE is not configured for this function');
    const items: Item[] = [];
    let cursor: Record<string, never> | undefined;
    do {
      try {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression:
              options.sk === undefined ? '#pk = :pk' : '#pk = :pk AND #sk = :sk',
            ExpressionAttributeNames:
              options.sk === undefined ? { '#pk': 'pk' } : { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: {
              ':pk': { S: pk },
              ...(options.sk === undefined ? {} : { ':sk': { S: options.sk } }),
            },
            ScanIndexForward: !options.newestFirst,
            ...(options.limit === undefined ? {} : { Limit: options.limit - items.length }),
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        for (const raw of out.Items ?? []) items.push(unmarshall(raw));
        cursor = out.LastEvaluatedKey as Record<string, never> | undefined;
      } catch (error) {
        throw translateReadError(error, 'Query');
      }
    } while (cursor && (options.limit === undefined || items.length < options.limit));
    return items;
  }
}
