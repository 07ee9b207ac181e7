/**
 * The pages of a Scan or a Query, one at a time, following `LastEvaluatedKey`; each request
 * waits out throttling. The one paging loop of the journal tools.
 */
import {
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { RawItem } from './format.ts';
import { withThrottleRetry } from './throttling.ts';

type Page = {
  readonly Items?: RawItem[] | undefined;
  readonly LastEvaluatedKey?: RawItem | undefined;
};

async function* pages(request: (start: RawItem | undefined) => Promise<Page>) {
  let start: RawItem | undefined;
  do {
    const out = await withThrottleRetry(() => request(start));
    yield out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
}

const from = (start: RawItem | undefined) => (start ? { ExclusiveStartKey: start } : {});

/** The pages of a scan (of a table, or of an index with `IndexName`). */
export function scanPages(
  client: DynamoDBClient,
  input: ScanCommandInput,
): AsyncGenerator<RawItem[]> {
  return pages((start) => client.send(new ScanCommand({ ...input, ...from(start) })));
}

/** The pages of a query. */
export function queryPages(
  client: DynamoDBClient,
  input: QueryCommandInput,
): AsyncGenerator<RawItem[]> {
  return pages((start) => client.send(new QueryCommand({ ...input, ...from(start) })));
}
