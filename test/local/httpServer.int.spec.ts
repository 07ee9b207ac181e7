/**
 * A graceful stop of the local HTTP server: requests being served finish (bounded), new
 * connections are refused, a request that arrives on an open connection meanwhile gets 503.
 * Raw sockets, so that what reaches the wire is what is checked.
 */
import { connect, type Socket } from 'node:net';
import { type LocalHttpServer, startLocalHttpServer } from '@coffee-es/local';
import { afterEach, describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: LocalHttpServer | undefined;
afterEach(async () => {
  await server?.close(0);
  server = undefined;
});

async function start(slowMs: number): Promise<LocalHttpServer> {
  server = await startLocalHttpServer({
    routes: [
      {
        route: { method: 'GET', path: '/slow', group: 'g' },
        handler: async () => {
          await sleep(slowMs);
          return { statusCode: 200, body: 'done' };
        },
      },
      {
        route: { method: 'GET', path: '/fast', group: 'g' },
        handler: async () => ({ statusCode: 200, body: 'fast' }),
      },
    ],
  });
  return server;
}

/** A raw HTTP/1.1 connection: what it received, and whether it ended with an error. */
function open(port: number, request?: string) {
  const socket: Socket = connect(port, '127.0.0.1');
  const state = { data: '', error: undefined as string | undefined, closed: false };
  socket.on('data', (chunk: Buffer) => {
    state.data += chunk.toString();
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    state.error = error.code ?? error.message;
  });
  socket.on('close', () => {
    state.closed = true;
  });
  if (request) socket.write(request);
  return { socket, state };
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: local\r\n\r\n`;

describe('local HTTP server, stopped gracefully', () => {
  it('lets the requests in flight finish, each answered with Connection: close', async () => {
    const s = await start(500);
    const clients = Array.from({ length: 4 }, () => open(s.port, get('/slow')));
    await sleep(100);
    const began = Date.now();
    await s.close(5_000);
    const tookMs = Date.now() - began;
    await sleep(50);
    for (const { state } of clients) {
      expect(state.error).toBeUndefined();
      expect(state.data).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(state.data.toLowerCase()).toContain('connection: close');
      expect(state.data).toContain('done');
      expect(state.closed).toBe(true);
    }
    // It waited for them (about 400 ms left), not for the whole grace period.
    expect(tookMs).toBeGreaterThanOrEqual(300);
    expect(tookMs).toBeLessThan(2_000);
  });

  it('refuses new connections and answers 503 to a request arriving on an open one', async () => {
    const s = await start(600);
    const inFlight = open(s.port, get('/slow'));
    const late = open(s.port, 'GET /fast HTTP/1.1\r\nHost: local\r\n'); // headers unfinished
    await sleep(100);
    const closing = s.close(5_000);
    await sleep(50);
    late.socket.write('\r\n');
    const fresh = open(s.port, get('/fast'));
    await closing;
    await sleep(50);
    expect(fresh.state.error).toBe('ECONNREFUSED');
    expect(late.state.data).toMatch(/^HTTP\/1\.1 503 Service Unavailable/);
    expect(late.state.data.toLowerCase()).toContain('connection: close');
    expect(late.state.data.toLowerCase()).toContain('retry-after: 1');
    expect(late.state.data).toContain('"code":"unavailable"');
    expect(inFlight.state.data).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('cuts a request that outlasts the grace period, and closes on time', async () => {
    const s = await start(5_000);
    const stuck = open(s.port, get('/slow'));
    await sleep(100);
    const began = Date.now();
    await s.close(300);
    const tookMs = Date.now() - began;
    await sleep(50);
    expect(tookMs).toBeGreaterThanOrEqual(250);
    expect(tookMs).toBeLessThan(1_500);
    expect(stuck.state.data).toBe('');
    expect(stuck.state.closed).toBe(true);
  });

  it('closes at once when nothing is in flight, idle kept-alive connections included', async () => {
    const s = await start(0);
    const idle = open(s.port, get('/fast'));
    await sleep(100);
    expect(idle.state.data).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(idle.state.data.toLowerCase()).not.toContain('connection: close');
    const began = Date.now();
    await s.close(5_000);
    expect(Date.now() - began).toBeLessThan(200);
    await sleep(50);
    expect(idle.state.closed).toBe(true);
  });
});
