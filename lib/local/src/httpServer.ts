/**
 * Local API Gateway (HTTP API, payload 2.0) emulation: matches each request against the declared
 * routes, builds the event API Gateway would send, and calls the very same Lambda handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '@coffee-es/aws-lambda';
import {
  HttpProblem,
  matchPath,
  type Route,
  type RouteAccess,
  routeKeyOf,
} from '@coffee-es/aws-lambda';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { LocalMount } from './console/consoleMount.ts';
import { lambdaContext, toEvent } from './gatewayEvent.ts';

/** A route-group function as the local server calls it: an API Gateway event in, a response out. */
export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<HttpResponse>;

/** A route the local server serves, and the function that serves it. */
export interface LocalRoute {
  /** Without `access`, the authorizer (when there is one) asks for a valid token. */
  readonly route: Pick<Route, 'method' | 'path' | 'group'> & { readonly access?: RouteAccess };
  readonly handler: LambdaHttpHandler;
}

/** A running local API Gateway: where it listens, and a graceful `close`. */
export interface LocalHttpServer {
  readonly url: string;
  readonly port: number;
  /**
   * Stops gracefully: no new connections; requests already being served finish (at most
   * `graceMs`, default 5 s) and are answered with `Connection: close`; a request arriving meanwhile
   * on a kept-alive connection gets 503 `unavailable`. Then every connection is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** API Gateway's own payload limit; the handlers enforce the much smaller contract limit. */
const gatewayMaxBytes = 10 * 1024 * 1024;

/**
 * The routes to serve, where to listen, the Lambda timeout the handlers see, and the authorizer.
 */
export interface LocalHttpServerOptions {
  readonly routes: readonly LocalRoute[];
  readonly port?: number;
  readonly host?: string;
  /** Lambda timeout the handlers see through `getRemainingTimeInMillis`. */
  readonly timeoutMs?: number;
  /**
   * The gateway's authorizer (see `gatewayAuthorizer`): runs once the route is known, before
   * anything else; what it returns becomes `requestContext.authorizer`, what it throws the answer.
   * Without one every route is open (local development).
   */
  readonly authorize?: (
    route: LocalRoute['route'],
    authorization: string | undefined,
  ) => Promise<object | undefined>;
  /** Paths served by something else than the routes (the operator console), matched first. */
  readonly mounts?: readonly LocalMount[];
}

/**
 * Serves routes as API Gateway (HTTP API, payload 2.0) does: turns each request into the event
 * the route's function gets (404 and 405 for unknown routes, 413 past 10 MB), runs the
 * authorizer first, and answers what the function returns. Throws when the port is taken.
 *
 * @example
 * ```ts
 * const server = await startLocalHttpServer({ routes: [{ route, handler }], port: 0 });
 * await fetch(`${server.url}/health`);
 * await server.close();
 * ```
 */
export async function startLocalHttpServer(
  options: LocalHttpServerOptions,
): Promise<LocalHttpServer> {
  const drain = new Drain();
  const server = createServer((req, res) => {
    if (drain.refuse(res)) return;
    serve(options, req, res).catch((error: unknown) => {
      console.error('local gateway error', error);
      if (!res.headersSent)
        send(
          res,
          problemResponse(
            new HttpProblem(500, 'internal-error', 'Something went wrong on our side'),
          ),
        );
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: (graceMs = 5_000) => drain.close(server, graceMs),
  };
}

async function serve(options: LocalHttpServerOptions, req: IncomingMessage, res: ServerResponse) {
  const { routes } = options;
  const timeoutMs = options.timeoutMs ?? 29_000;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const mount = options.mounts?.find(
    (m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`),
  );
  if (mount) return mount.serve(req, res, url);
  const candidates = routes.flatMap((r) => {
    const params = matchPath(r.route.path, url.pathname);
    return params ? [{ ...r, params }] : [];
  });
  // Literal segments win over parameters, as in API Gateway.
  candidates.sort((a, b) => literalCount(b.route.path) - literalCount(a.route.path));
  const match = candidates.find((c) => c.route.method === method);
  const body = await readBody(req);
  if (!match) {
    const problem =
      candidates.length > 0
        ? new HttpProblem(405, 'method-not-allowed', `${method} is not allowed on ${url.pathname}`)
        : new HttpProblem(404, 'not-found', `Nothing at ${url.pathname}`);
    return send(res, problemResponse(problem));
  }
  let authorizer: object | undefined;
  try {
    authorizer = await options.authorize?.(match.route, req.headers.authorization);
  } catch (error) {
    if (error instanceof HttpProblem) return send(res, problemResponse(error));
    throw error;
  }
  if (body.length > gatewayMaxBytes) {
    return send(
      res,
      problemResponse(new HttpProblem(413, 'payload-too-large', 'The body is too large')),
    );
  }
  const event = toEvent(req, url, method, routeKeyOf(match.route), match.params, body);
  if (authorizer) Object.assign(event.requestContext, { authorizer });
  const context = lambdaContext(match.route.group, event.requestContext.requestId, timeoutMs);
  send(res, await match.handler(event, context));
}

function literalCount(path: string): number {
  return path.split('/').filter((s) => s !== '' && !s.startsWith('{')).length;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= gatewayMaxBytes + 1) chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function problemResponse(problem: HttpProblem): HttpResponse {
  return {
    statusCode: problem.status,
    headers: { ...problem.headers, 'content-type': 'application/problem+json' },
    body: JSON.stringify(problem.body),
  };
}

function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.statusCode ?? 200, response.headers as Record<string, string>);
  res.end(response.body ?? '');
}

/** The requests being served, so that a stop lets them finish instead of cutting them. */
class Drain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private onEmpty: (() => void) | undefined;
  private closed: Promise<void> | undefined;

  /** Tracks the request until its response is done; answers 503 (true) while draining. */
  refuse(res: ServerResponse): boolean {
    this.inFlight.add(res);
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) this.onEmpty?.();
    });
    if (!this.draining) return false;
    res.setHeader('connection', 'close');
    send(
      res,
      problemResponse(
        new HttpProblem(503, 'unavailable', 'The server is stopping; try again shortly', {
          headers: { 'retry-after': '1' },
        }),
      ),
    );
    return true;
  }

  close(server: Server, graceMs: number): Promise<void> {
    this.closed ??= (async () => {
      this.draining = true;
      // Answers still to be written go out with `Connection: close`.
      for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (this.inFlight.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          this.onEmpty = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      server.closeAllConnections();
      await closed;
    })();
    return this.closed;
  }
}
