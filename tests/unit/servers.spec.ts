// The fixture server and the proxy over real loopback sockets, without a browser.
import { test, expect } from '@playwright/test';
import http from 'node:http';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { startHarness, type Harness } from '../../pipeline/harness.ts';
import { fixtureUrl, withToken } from '../../servers/recipe.ts';

let h: Harness;
test.beforeAll(async () => {
  h = await startHarness();
});
test.afterAll(async () => {
  await h.close();
});

interface Reply {
  status: number;
  raw: string[];
  body: string;
}

function viaProxy(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: h.proxy.port, method: init.method ?? 'GET', path: url, headers: { Host: new URL(url).host, ...init.headers } },
      (res) => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('both servers listen on loopback only', () => {
  expect(new URL(h.fixture.url).hostname).toBe('127.0.0.1');
  expect(new URL(h.proxy.url).hostname).toBe('127.0.0.1');
});

test('the fixture answers from the URL, two header lines stay two lines', async () => {
  const url = withToken(
    fixtureUrl('http://b.test/x', {
      preflight: null,
      actual: {
        status: 203,
        headers: [
          ['Access-Control-Allow-Origin', 'http://a.test'],
          ['Access-Control-Allow-Origin', '*'],
        ],
        body: 'B',
      },
    }),
    'tok-two',
  );
  const r = await viaProxy(url, { headers: { Origin: 'http://a.test', Cookie: 'cc_session=s3cret' } });
  expect(r.status).toBe(203);
  expect(r.body).toBe('B');
  const acao = r.raw.filter((_, i) => i % 2 === 1 && r.raw[i - 1] === 'Access-Control-Allow-Origin');
  expect(acao).toEqual(['http://a.test', '*']);
  const seen = h.proxy.takeExchanges(['tok-two']).get('tok-two') ?? [];
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ method: 'GET', origin: 'http://b.test', status: 203 });
  expect(seen[0]?.requestHeaders).toContainEqual(['Origin', 'http://a.test']);
  expect(seen[0]?.requestHeaders).toContainEqual(['Cookie', 'cc_session=<redacted>']);
  expect(seen[0]?.responseHeaders.filter(([n]) => n === 'Access-Control-Allow-Origin')).toEqual([
    ['Access-Control-Allow-Origin', 'http://a.test'],
    ['Access-Control-Allow-Origin', '*'],
  ]);
  expect(JSON.stringify(seen)).not.toContain('s3cret');
  expect(h.proxy.takeExchanges(['tok-two']).get('tok-two'), 'taken exchanges are forgotten').toEqual([]);
});

test('an asset goes with its own Content-Type, another one the recipe sets, or none at all', async () => {
  const typeOf = (r: Reply) => r.raw.filter((_, i) => i % 2 === 1 && r.raw[i - 1]?.toLowerCase() === 'content-type');
  const png = await viaProxy(fixtureUrl('http://b.test/t', { preflight: null, actual: { status: 200, headers: [], asset: 'png' } }));
  expect(typeOf(png)).toEqual(['image/png']);
  const csv = await viaProxy(
    fixtureUrl('http://b.test/t', { preflight: null, actual: { status: 200, headers: [['Content-Type', 'text/csv']], asset: 'classic-script' } }),
  );
  expect(typeOf(csv)).toEqual(['text/csv']);
  expect(csv.body).toContain('cc-classic-script-ran');
  const none = await viaProxy(
    fixtureUrl('http://b.test/t', { preflight: null, actual: { status: 200, headers: [], asset: 'classic-script', omitContentType: true } }),
  );
  expect(typeOf(none)).toEqual([]);
  expect(none.body).toContain('cc-classic-script-ran');
});

test('the cross-site host on a bad port is served like any origin, so an engine that connects gets the answer', async () => {
  const r = await viaProxy(fixtureUrl('http://b.test:6000/p', { preflight: null, actual: { status: 200, headers: [], body: 'P' } }));
  expect(r.status).toBe(200);
  expect(r.body).toBe('P');
});

test('a preflight gets the preflight recipe and is logged with its request headers', async () => {
  const url = withToken(
    fixtureUrl('http://b.test/p', {
      preflight: { status: 204, headers: [['Access-Control-Allow-Methods', 'PUT']] },
      actual: { status: 200, headers: [] },
    }),
    'tok-pf',
  );
  const pf = await viaProxy(url, {
    method: 'OPTIONS',
    headers: { Origin: 'http://a.test', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-a' },
  });
  expect(pf.status).toBe(204);
  const plain = await viaProxy(url, { method: 'OPTIONS', headers: { Origin: 'http://a.test' } });
  expect(plain.status).toBe(200);
  const [first, second] = h.proxy.takeExchanges(['tok-pf']).get('tok-pf') ?? [];
  expect(first).toMatchObject({ method: 'OPTIONS', status: 204 });
  expect(first?.requestHeaders).toContainEqual(['Access-Control-Request-Method', 'PUT']);
  expect(first?.requestHeaders).toContainEqual(['Access-Control-Request-Headers', 'x-a']);
  expect(second).toMatchObject({ method: 'OPTIONS', status: 200 });
});

test('the proxy serves the probe page on configured origins', async () => {
  const r = await viaProxy('http://a.test/__cc/probe.html');
  expect(r.status).toBe(200);
  expect(r.body).toContain('/__cc/probe.js');
});

test('the proxy refuses unknown hosts, plain and CONNECT', async () => {
  const r = await viaProxy('http://example.com/');
  expect(r.status).toBe(403);
  const connectStatus = await new Promise<string>((resolve, reject) => {
    const s = connect(h.proxy.port, '127.0.0.1', () => s.write('CONNECT update.googleapis.com:443 HTTP/1.1\r\nHost: update.googleapis.com:443\r\n\r\n'));
    s.once('data', (b) => {
      resolve(b.toString().split('\r\n')[0] ?? '');
      s.destroy();
    });
    s.on('error', reject);
  });
  expect(connectStatus).toContain('403');
  expect(h.proxy.refused()).toMatchObject({ 'example.com': 1, 'update.googleapis.com:443': 1 });
});

test('the proxy terminates TLS for a configured https origin with a certificate made for that name', async () => {
  const socket = await new Promise<import('node:net').Socket>((resolve, reject) => {
    const s = connect(h.proxy.port, '127.0.0.1', () => s.write('CONNECT b.test:443 HTTP/1.1\r\nHost: b.test:443\r\n\r\n'));
    s.once('data', (b) => {
      expect(b.toString().split('\r\n')[0]).toBe('HTTP/1.1 200 Connection Established');
      resolve(s);
    });
    s.on('error', reject);
  });
  const status = await new Promise<{ san: string; body: string }>((resolve, reject) => {
    const tlsSocket = tlsConnect({ socket, servername: 'b.test', rejectUnauthorized: false }, () => {
      const san = tlsSocket.getPeerCertificate().subjectaltname ?? '';
      tlsSocket.write('GET /__cc/probe.html HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\n\r\n');
      let body = '';
      tlsSocket.on('data', (b: Buffer) => (body += b.toString()));
      tlsSocket.on('end', () => resolve({ san, body }));
    });
    tlsSocket.on('error', reject);
  });
  expect(status.san).toContain('DNS:b.test');
  expect(status.body).toContain('200 OK');
  expect(h.proxy.certificateNames()).toContain('b.test');
});

function rawRequest(lines: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(h.proxy.port, '127.0.0.1', () => s.write(lines));
    let out = '';
    s.on('data', (b) => (out += b.toString()));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

test('methods Node does not know, and control bytes in values, reach the fixture as the browser sent them', async () => {
  const url = (tok: string) => withToken(fixtureUrl('http://b.test/m', { preflight: null, actual: { status: 200, headers: [], body: 'ok' } }), tok);
  const first = url('tok-m1');
  const second = url('tok-m2');
  // Two requests on one keep-alive connection, the first with a body: framing must hold.
  const out = await rawRequest(
    `CHICKEN ${first} HTTP/1.1\r\nHost: b.test\r\nContent-Length: 5\r\n\r\nhello` +
      `patch ${second} HTTP/1.1\r\nHost: b.test\r\nAccept: a\u0001b\r\nConnection: close\r\n\r\n`,
  );
  expect(out.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  const seen = h.proxy.takeExchanges(['tok-m1', 'tok-m2']);
  expect(seen.get('tok-m1')?.[0]).toMatchObject({ method: 'CHICKEN', status: 200 });
  expect(seen.get('tok-m2')?.[0]).toMatchObject({ method: 'patch', status: 200 });
  expect(JSON.stringify(seen.get('tok-m1'))).not.toContain('x-cc-original-method');
  expect(seen.get('tok-m2')?.[0]?.requestHeaders).toContainEqual(['Accept', 'a\u0001b']);
});

test('step marks are answered by the proxy on every origin and logged between the probe requests', async () => {
  const url = withToken(fixtureUrl('http://b.test/s', { preflight: null, actual: { status: 200, headers: [], body: 'ok' } }), 'tok-steps');
  await viaProxy('http://b.test/__cc/mark?cc_probe=tok-steps&step=0');
  await viaProxy(url);
  const mark = await viaProxy('http://b.test/__cc/mark?cc_probe=tok-steps&step=1');
  expect(mark.status).toBe(204);
  await viaProxy(url);
  const seen = h.proxy.takeExchanges(['tok-steps']).get('tok-steps') ?? [];
  expect(seen.map((e) => e.marker ?? e.method)).toEqual([0, 'GET', 1, 'GET']);
});

test('routes can be replaced; new https names get a certificate, old names are refused', async () => {
  await h.proxy.setRoutes([{ origin: 'https://new.example', upstream: null, probePage: true }]);
  expect(h.proxy.certificateNames()).toContain('new.example');
  const r = await viaProxy('http://a.test/__cc/probe.html');
  expect(r.status).toBe(403);
});

test('a CONNECT to a host with a raw backtick, as Chromium and WebKit send it, reaches its configured origin', async () => {
  await h.proxy.setRoutes([{ origin: 'https://app.example.com`.evil.test', upstream: null, probePage: true }]);
  const answer = (host: string) =>
    new Promise<string>((resolve, reject) => {
      const s = connect(h.proxy.port, '127.0.0.1', () => s.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`));
      s.once('data', (b) => {
        resolve(b.toString().split('\r\n')[0] ?? '');
        s.destroy();
      });
      s.on('error', reject);
    });
  expect(await answer('app.example.com`.evil.test')).toBe('HTTP/1.1 200 Connection Established');
  expect(await answer('app.example.com{.evil.test')).toContain('403');
});

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
/** The accept value RFC 6455 derives from WS_KEY (its section 1.3 example). */
const WS_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

function wsHandshake(target: string, host: string): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${WS_KEY}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://a.test\r\nCookie: cc_session=s3cret\r\n\r\n`
  );
}

/** Sends a masked ping after the 101 and resolves with the response head once the pong is back. */
function upgradeOn(socket: import('node:stream').Duplex, request: string): Promise<{ head: string; pong: boolean }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let head: string | null = null;
    socket.on('data', (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      if (head === null) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = buf.subarray(0, end).toString('latin1');
        buf = buf.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) {
          resolve({ head, pong: false });
          socket.destroy();
          return;
        }
        socket.write(Buffer.from([0x89, 0x80, 1, 2, 3, 4]));
      }
      if (buf.length >= 2) {
        resolve({ head, pong: buf[0] === 0x8a });
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

function connectTunnel(authority: string): Promise<import('node:net').Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(h.proxy.port, '127.0.0.1', () => s.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    s.once('data', (b) => {
      const line = b.toString().split('\r\n')[0] ?? '';
      if (line === 'HTTP/1.1 200 Connection Established') resolve(s);
      else reject(new Error(`CONNECT ${authority}: ${line}`));
    });
    s.on('error', reject);
  });
}

test.describe('WebSocket handshakes', () => {
  test.beforeAll(async () => {
    await h.proxy.setRoutes(['http://a.test', 'http://b.test', 'https://b.test'].map((origin) => ({ origin, upstream: h.fixture.app, probePage: true })));
  });
  const recipeUrl = (origin: string, tok: string, status = 200) =>
    withToken(
      fixtureUrl(`${origin}/ws`, { preflight: null, actual: { status, headers: [['Access-Control-Allow-Origin', 'http://other.example']], body: 'no' } }),
      tok,
    );

  test('absolute-form through the proxy (ws: or http:), a plain CONNECT tunnel and TLS all reach the handshake, with the recipe’s headers on the 101', async () => {
    const viaAbsolute = await upgradeOn(
      connect(h.proxy.port, '127.0.0.1'),
      wsHandshake(recipeUrl('http://b.test', 'tok-ws1').replace(/^http:/, 'ws:'), 'b.test'),
    );
    const plainTunnel = await connectTunnel('b.test:80');
    const path = (u: string) => new URL(u).pathname + new URL(u).search;
    const viaTunnel = await upgradeOn(plainTunnel, wsHandshake(path(recipeUrl('http://b.test', 'tok-ws2')), 'b.test'));
    const tlsTunnel = await connectTunnel('b.test:443');
    const secure = await new Promise<import('node:tls').TLSSocket>((resolve, reject) => {
      const t = tlsConnect({ socket: tlsTunnel, servername: 'b.test', rejectUnauthorized: false }, () => resolve(t));
      t.on('error', reject);
    });
    const viaTls = await upgradeOn(secure, wsHandshake(path(recipeUrl('https://b.test', 'tok-ws3')), 'b.test'));
    for (const r of [viaAbsolute, viaTunnel, viaTls]) {
      expect(r.head).toContain('HTTP/1.1 101 Switching Protocols');
      expect(r.head).toContain(`Sec-WebSocket-Accept: ${WS_ACCEPT}`);
      expect(r.head).toContain('Access-Control-Allow-Origin: http://other.example');
      expect(r.pong, 'the upgraded connection speaks WebSocket').toBe(true);
    }
    const seen = h.proxy.takeExchanges(['tok-ws1', 'tok-ws2', 'tok-ws3']);
    expect([...seen.values()].map((list) => list.map((e) => `${e.origin} ${e.method} ${e.status}`))).toEqual([
      ['http://b.test GET 101'],
      ['http://b.test GET 101'],
      ['https://b.test GET 101'],
    ]);
    const first = seen.get('tok-ws1')?.[0];
    expect(first?.requestHeaders).toContainEqual(['Origin', 'http://a.test']);
    expect(first?.requestHeaders).toContainEqual(['Cookie', 'cc_session=<redacted>']);
    expect(first?.responseHeaders).toContainEqual(['Access-Control-Allow-Origin', 'http://other.example']);
    expect(JSON.stringify([...seen.values()])).not.toContain('s3cret');
  });

  test('a recipe status other than 200 refuses the handshake with that response; unknown hosts are refused', async () => {
    const refused = await upgradeOn(connect(h.proxy.port, '127.0.0.1'), wsHandshake(recipeUrl('http://b.test', 'tok-ws4', 403), 'b.test'));
    expect(refused.head).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(refused.head).toContain('Access-Control-Allow-Origin: http://other.example');
    expect(
      h.proxy
        .takeExchanges(['tok-ws4'])
        .get('tok-ws4')
        ?.map((e) => e.status),
    ).toEqual([403]);
    const unknown = await upgradeOn(connect(h.proxy.port, '127.0.0.1'), wsHandshake('ws://example.com/ws', 'example.com'));
    expect(unknown.head).toMatch(/^HTTP\/1\.1 403/);
    await expect(connectTunnel('example.com:80')).rejects.toThrow(/403/);
  });
});

test('the proxy tells a page what it has seen so far for a token, and leaves it in the log', async () => {
  await h.proxy.setRoutes(['http://a.test', 'http://b.test'].map((origin) => ({ origin, upstream: h.fixture.app, probePage: true })));
  const url = withToken(
    fixtureUrl('http://b.test/beacon', {
      preflight: { status: 204, headers: [['Access-Control-Allow-Origin', 'http://a.test']] },
      actual: { status: 200, headers: [] },
    }),
    'tok-seen',
  );
  const seen = async () => JSON.parse((await viaProxy('http://a.test/__cc/seen?cc_probe=tok-seen')).body) as unknown;
  expect(await seen()).toEqual({ actual: 0, preflights: 0, preflightsAnswered: 0 });
  await viaProxy(url, { method: 'OPTIONS', headers: { Origin: 'http://a.test', 'Access-Control-Request-Method': 'POST' } });
  expect(await seen()).toEqual({ actual: 0, preflights: 1, preflightsAnswered: 1 });
  await viaProxy(url, { method: 'POST', headers: { Origin: 'http://a.test' } });
  const answer = await viaProxy('http://b.test/__cc/seen?cc_probe=tok-seen');
  expect(JSON.parse(answer.body)).toEqual({ actual: 1, preflights: 1, preflightsAnswered: 1 });
  expect(answer.raw).toContain('Access-Control-Allow-Origin');
  expect(h.proxy.takeExchanges(['tok-seen']).get('tok-seen')).toHaveLength(2);
  expect((await viaProxy('http://a.test/__cc/seen')).status).toBe(400);
});
