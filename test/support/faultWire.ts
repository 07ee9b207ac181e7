/**
 * The fault proxy's wire (test/support/faultProxy.ts): the AWS JSON protocol as DynamoDB and SQS
 * speak it. Which service, operation and resource a request is for, the error bodies the real
 * services answer when they throttle or fail, and forwarding a request upstream.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { request } from 'node:http';

export type Service = 'dynamodb' | 'dynamodb-streams' | 'sqs' | 'other';

/** DynamoDB operations that report consumed capacity. */
export const capacityOperations = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

export function targetOf(req: IncomingMessage): { service: Service; operation: string } {
  const [prefix, operation = '?'] = String(req.headers['x-amz-target'] ?? '').split('.');
  if (prefix?.startsWith('DynamoDBStreams')) return { service: 'dynamodb-streams', operation };
  if (prefix?.startsWith('DynamoDB')) return { service: 'dynamodb', operation };
  return { service: prefix === 'AmazonSQS' ? 'sqs' : 'other', operation };
}

export function resourceOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.TableName === 'string') return input.TableName;
  if (typeof input.QueueUrl === 'string') return input.QueueUrl.split('/').at(-1);
  const items = input.RequestItems ?? input.TransactItems;
  if (items && typeof items === 'object' && !Array.isArray(items)) {
    return Object.keys(items)[0];
  }
  if (Array.isArray(items)) {
    const first = items[0] as Record<string, { TableName?: string }> | undefined;
    const op = first ? Object.values(first)[0] : undefined;
    return op?.TableName;
  }
  return undefined;
}

export function failureOf(
  service: Service,
  fault: 'throttle' | 'unavailable',
): { status: number; headers: OutgoingHttpHeaders; body: Record<string, unknown> } {
  const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault' };
  if (service === 'sqs') {
    const code = fault === 'throttle' ? 'ThrottlingException' : 'ServiceUnavailable';
    return {
      status: fault === 'throttle' ? 400 : 503,
      headers: { ...headers, 'x-amzn-query-error': `${code};Sender` },
      body: { __type: `com.amazonaws.sqs#${code}`, message: `injected ${fault}` },
    };
  }
  // DynamoDB Streams throttles GetRecords, GetShardIterator and DescribeStream with its own code.
  const throttled =
    service === 'dynamodb-streams'
      ? 'LimitExceededException'
      : 'ProvisionedThroughputExceededException';
  const code = fault === 'throttle' ? throttled : 'InternalServerError';
  return {
    status: fault === 'throttle' ? 400 : 500,
    headers,
    body: { __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: `injected ${fault}` },
  };
}

export function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: OutgoingHttpHeaders; body: Buffer }> {
  const headers: OutgoingHttpHeaders = {
    ...req.headers,
    host: upstream.host,
    'content-length': String(body.length),
  };
  return new Promise((done, fail) => {
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (response) => {
        readAll(response).then(
          (data) =>
            done({ status: response.statusCode ?? 502, headers: response.headers, body: data }),
          fail,
        );
      },
    );
    out.once('error', fail);
    out.end(body);
  });
}

export function cut(res: ServerResponse): void {
  res.socket?.destroy();
}

export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

export function parseJson(bytes: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
