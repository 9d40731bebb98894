// Hostile targets on loopback, each misbehaving in one way a real attacker's server can:
// headers one byte at a time, a body that never ends, a status line of 000, a body far past
// any cap. They speak raw bytes over TCP, so nothing in Node's HTTP server tidies them up.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Hostility = 'slow-headers' | 'endless-body' | 'status-000' | 'huge-body';

export interface HostileTarget {
  url: string;
  /** Connections it has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const HEADERS = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Origin: *\r\n';

function behave(kind: Hostility, socket: Socket, stop: (t: NodeJS.Timeout) => void): void {
  switch (kind) {
    case 'slow-headers': {
      // A valid response, one byte a second: an idle-socket timeout never fires.
      const bytes = Buffer.from(`${HEADERS}Content-Length: 2\r\n\r\nok`);
      let i = 0;
      const t = setInterval(() => {
        if (i < bytes.length) socket.write(bytes.subarray(i, ++i));
      }, 1000);
      stop(t);
      return;
    }
    case 'endless-body': {
      socket.write(`${HEADERS}Transfer-Encoding: chunked\r\n\r\n`);
      const t = setInterval(() => socket.write('2\r\nok\r\n'), 50);
      stop(t);
      return;
    }
    case 'status-000':
      socket.end('HTTP/1.1 000 OK\r\nContent-Length: 0\r\n\r\n');
      return;
    case 'huge-body': {
      // Claims and sends far more than any budget lets through, as fast as the socket takes it.
      socket.write(`${HEADERS}Content-Length: ${1024 * 1024 * 1024}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk)) {}
      };
      socket.on('drain', pump);
      pump();
      return;
    }
  }
}

export async function startHostileTarget(kind: Hostility): Promise<HostileTarget> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    // Answer once the request has arrived, as a server would.
    socket.once('data', () => behave(kind, socket, (t) => timers.add(t)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
