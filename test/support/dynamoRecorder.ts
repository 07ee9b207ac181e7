/**
 * A recording proxy in front of DynamoDB: every request that reaches the wire (SDK retries
 * included), with its operation, its input and what it answered. Point the app's
 * `DYNAMODB_ENDPOINT` at it to see what one HTTP request costs in DynamoDB requests, without any
 * hook in the code under test.
 */
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoCall {
  /** `Query`, `GetItem`, `PutItem`, … (from the `X-Amz-Target` header). */
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly output: Readonly<Record<string, unknown>>;
}

export interface DynamoRecorder {
  readonly endpoint: string;
  readonly calls: readonly DynamoCall[];
  /** The calls made while `work` ran. */
  during(work: () => Promise<unknown>): Promise<DynamoCall[]>;
  close(): Promise<void>;
}

export async function startDynamoRecorder(target: string): Promise<DynamoRecorder> {
  const upstream = new URL(target);
  const calls: DynamoCall[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const headers: OutgoingHttpHeaders = { ...req.headers, host: upstream.host };
      const answer = await new Promise<{
        status: number;
        headers: OutgoingHttpHeaders;
        body: Buffer;
      }>((done, fail) => {
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
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
      calls.push({
        operation,
        input: parseJson(body),
        status: answer.status,
        output: parseJson(answer.body),
      });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    during: async (work) => {
      const before = calls.length;
      await work();
      return calls.slice(before);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function parseJson(bytes: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
