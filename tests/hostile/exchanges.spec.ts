// Every exchange with a hostile target ends within its budget, says why in words, and is never
// a CORS verdict: the reachability check, the direct requests of the screen and explain, and
// the proxy forwarding a browser's request. No browser: the budgets sit below the engines.
// Each test also bounds its own time generously (five times the budget): the point is that it
// ends, where before the change it hung forever.
import { test, expect } from '@playwright/test';
import http from 'node:http';
import net from 'node:net';
import { budgetExceeded, type ExchangeBudget } from '../../model/budgets.ts';
import type { WireExchange } from '../../model/wire.ts';
import { checkTargetAnswers, GradeSetupError, requestTarget } from '../../pipeline/target.ts';
import { startProxy } from '../../servers/proxy.ts';
import { type Hostility, startHostileTarget } from './targets.ts';

const SMALL: ExchangeBudget = { headersMs: 1_000, bodyMs: 1_000, maxBodyBytes: 1024 * 1024 };

async function withTarget<T>(kind: Hostility, fn: (url: URL) => Promise<T>): Promise<T> {
  const t = await startHostileTarget(kind);
  try {
    return await fn(new URL(t.url));
  } finally {
    await t.close();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T | Error; ms: number }> {
  const start = Date.now();
  try {
    return { value: await fn(), ms: Date.now() - start };
  } catch (err) {
    return { value: err as Error, ms: Date.now() - start };
  }
}

test('headers sent one byte a second: the reachability check is a setup error naming the budget, within it', async () => {
  const r = await withTarget('slow-headers', (url) => timed(() => checkTargetAnswers(url, '/', undefined, 1_000)));
  expect(r.value).toBeInstanceOf(GradeSetupError);
  expect((r.value as Error).message).toContain('cannot be graded: the target sent no complete response headers within 1 s');
  expect(r.ms).toBeLessThan(5 * SMALL.headersMs);
});

test('a status line of 000 is a setup error, not a crash and not a verdict', async () => {
  const r = await withTarget('status-000', (url) => timed(() => checkTargetAnswers(url, '/')));
  expect(r.value).toBeInstanceOf(GradeSetupError);
  expect((r.value as Error).message).toContain('invalid status code 000');
});

test('a body that never ends: the direct request answers at its headers and then drops the connection at the body budget', async () => {
  const t = await startHostileTarget('endless-body');
  try {
    const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 1 }), https: new (await import('node:https')).Agent({ maxSockets: 1 }) };
    // One socket: if the first body held it, the second request would wait forever.
    const first = await requestTarget(new URL(t.url), '/', 'GET', [], { budget: SMALL, agents });
    expect(first.status).toBe(200);
    const second = await timed(() => requestTarget(new URL(t.url), '/', 'GET', [], { budget: SMALL, agents }));
    expect(second.value instanceof Error ? second.value.message : (second.value as WireExchange).status).toBe(200);
    expect(second.ms).toBeLessThan(5 * SMALL.bodyMs);
    agents.http.destroy();
  } finally {
    await t.close();
  }
});

/** A GET through the proxy, as a browser sends it: the absolute URL in the request line. */
function viaProxy(port: number, url: string): Promise<{ status: number; error: string | null; bytes: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, headers: { Host: new URL(url).host } }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => {
        bytes += b.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, error: null, bytes, headers: res.headers }));
      res.on('error', (err) => resolve({ status: res.statusCode ?? 0, error: err.message, bytes, headers: res.headers }));
    });
    req.on('error', (err) => resolve({ status: 0, error: err.message, bytes: 0, headers: {} }));
    req.end();
  });
}

for (const [kind, words] of [
  ['slow-headers', budgetExceeded.headers(SMALL)],
  ['endless-body', budgetExceeded.body(SMALL)],
  ['huge-body', budgetExceeded.bytes(SMALL)],
  ['status-000', 'the target answered with an invalid status code 000'],
] as const) {
  test(`the proxy forwarding to a target with ${kind} ends the exchange and records why`, async () => {
    const t = await startHostileTarget(kind);
    const proxy = await startProxy([{ origin: 'http://target.test', upstream: t.url, probePage: false, rewriteHost: true, budget: SMALL }]);
    try {
      const r = await timed(() => viaProxy(proxy.port, 'http://target.test/api?cc_probe=tok-h'));
      expect(r.ms).toBeLessThan(5 * (SMALL.headersMs + SMALL.bodyMs));
      const reply = r.value as Awaited<ReturnType<typeof viaProxy>>;
      if (kind === 'slow-headers' || kind === 'status-000') {
        expect(reply.status).toBe(502);
        expect(reply.headers['x-cc-proxy-error']).toBe(words);
      } else {
        // The headers went through; the body was cut, which the browser sees as a network error.
        expect(reply.error ?? 'cut').toBeTruthy();
        expect(reply.bytes).toBeLessThanOrEqual(SMALL.maxBodyBytes + 64 * 1024);
      }
      const seen = proxy.takeExchanges(['tok-h']).get('tok-h') ?? [];
      expect(seen.map((e) => e.error)).toEqual([words]);
    } finally {
      await proxy.close();
      await t.close();
    }
  });
}

test('a client that resets its CONNECT while the proxy answers it does not end the proxy', async () => {
  const proxy = await startProxy([]);
  try {
    // Refused tunnels (a host the proxy does not serve), each reset the moment it is sent, as a
    // browser closing mid-navigation does: the proxy's answer meets a reset connection.
    for (let i = 0; i < 40; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(proxy.port, '127.0.0.1', () => {
          socket.write('CONNECT unknown.test:443 HTTP/1.1\r\nHost: unknown.test:443\r\n\r\n');
          setImmediate(() => socket.resetAndDestroy());
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve());
      });
    }
    // Still serving: another refused tunnel gets its answer.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(proxy.port, '127.0.0.1', () => socket.write('CONNECT unknown.test:443 HTTP/1.1\r\nHost: unknown.test:443\r\n\r\n'));
      socket.once('data', (b: Buffer) => {
        resolve(b.toString('latin1'));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
  } finally {
    await proxy.close();
  }
});
