import { createServer } from 'node:net';

/** Ports this process will bind itself (the HTTP server's): never handed out as free. */
const avoided = new Set<number>();

/**
 * Keeps `port` out of what `freePort` answers. The local runtime calls it with the port its HTTP
 * server is about to bind, before it starts the emulators: the OS may otherwise hand a port that
 * another process chose for it, free a moment ago, to an emulator first.
 * @internal
 */
export function avoidPort(port: number): void {
  if (port > 0) avoided.add(port);
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (and is not one `avoidPort` kept).
 * @internal
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const port = await anyFreePort();
    if (!avoided.has(port)) return port;
  }
  throw new Error('No free port outside the avoided ones');
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('No free port'))));
    });
  });
}
