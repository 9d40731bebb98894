// The virtual-origin proxy: one local forward proxy that makes a browser believe in
// origins such as http://a.test and https://b.test. For each configured origin it answers
// its own endpoints (servers/proxy-endpoints.ts: the probe page, cookies, step marks) and
// sends every other request to that origin's upstream (servers/forward.ts: the fixture
// server in this process, or a real target being graded). https origins are reached by
// CONNECT; the proxy terminates TLS with certificates made for exactly those names. A CONNECT
// to a configured http origin (port 80: how engines tunnel ws: through a proxy) carries plain
// HTTP. WebSocket handshakes on fixture origins, whichever way they come (absolute-form through
// the proxy, a plain tunnel, TLS), are answered here (servers/websocket.ts).
// It is also the witness of what crossed the wire: every request that carries a probe
// token is logged with the response the browser got (servers/exchange-log.ts).
// Every other host is refused: it must never be an open proxy, and browser background
// traffic must not leave the machine. It binds loopback only.
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import getPort from 'get-port';
import { type TargetTls, VERIFY_TLS, type WireExchange } from '../model/wire.ts';
import { CertificateStore } from './certs.ts';
import { ExchangeLog } from './exchange-log.ts';
import { callInProcess, forwardToUpstream, type UpstreamAgents } from './forward.ts';
import { MethodShim, ORIGINAL_METHOD_HEADER } from './method-shim.ts';
import { answerOwnEndpoint } from './proxy-endpoints.ts';
import { NO_SECRETS, type Secrets } from './redact.ts';
import { type ExchangeBudget, TARGET_BUDGET } from '../model/budgets.ts';
import { refuseUpgrade, WebSocketHandshakes } from './websocket.ts';

export interface ProxyRoute {
  /** The origin the browser sees, e.g. `https://a.test`. */
  origin: string;
  /** Where requests for it go: a URL (a real server being graded), a request handler called
   *  in this process (the fixture server), or null: the origin only serves the proxy's own
   *  endpoints and 404s the rest. */
  upstream: string | RequestListener | null;
  /** Send the upstream's own host in Host instead of the virtual one (grading a real server). */
  rewriteHost?: boolean;
  /** Serve the probe page at /__cc/probe.html on this origin. */
  probePage: boolean;
  /** For https upstreams: how the certificate is checked (verified unless said otherwise). */
  upstreamTls?: TargetTls;
  /** Set-Cookie values a first-party navigation to SESSION_COOKIE_PATH on this origin sets:
   *  the signed-in user's cookies. They stay here, never in a URL. */
  sessionCookies?: readonly string[];
  /** Values the exchange log redacts on this origin besides the standard secret headers. */
  secrets?: Secrets;
  /** A URL upstream's budgets per exchange (model/budgets.ts's TARGET_BUDGET unless given). */
  budget?: ExchangeBudget;
}

export interface VirtualOriginProxy {
  port: number;
  /** `http://127.0.0.1:PORT`, for browser proxy settings. */
  url: string;
  /** Temporary folder of this proxy's certificates (cert-N.pem), for `curl --cacert`. */
  certificateDir: string;
  /** Names covered by a certificate so far. */
  certificateNames(): string[];
  /** Replaces the route table (grading swaps targets and attacker origins between runs). */
  setRoutes(routes: ProxyRoute[]): Promise<void>;
  /** Returns and forgets what crossed the wire for these probe tokens. */
  takeExchanges(tokens: readonly string[]): Map<string, WireExchange[]>;
  /** Hosts the proxy refused, with how often: browser background traffic shows up here. */
  refused(): Record<string, number>;
  close(): Promise<void>;
  /** The key a navigation to SESSION_COOKIE_PATH must carry to get a route's session cookies
   *  (pipeline/cookies.ts sessionSetupUrls): only this run's own pages have it. */
  sessionKey: string;
}

/** Puts back the method the shim had to hide from Node's parser, and removes its header. */
function restoreMethod(req: IncomingMessage): void {
  const original = req.headers[ORIGINAL_METHOD_HEADER];
  if (typeof original !== 'string') return;
  req.method = original;
  delete req.headers[ORIGINAL_METHOD_HEADER];
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() !== ORIGINAL_METHOD_HEADER) raw.push(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
}

function httpsNames(origins: Iterable<string>): string[] {
  return [...origins].filter((o) => o.startsWith('https:')).map((o) => new URL(o).hostname.replace(/^\[|\]$/g, ''));
}

export async function startProxy(routes: ProxyRoute[]): Promise<VirtualOriginProxy> {
  let table = new Map<string, ProxyRoute>();
  const certs = new CertificateStore();
  async function setRoutes(next: ProxyRoute[]): Promise<void> {
    const nextTable = new Map(next.map((r) => [new URL(r.origin).origin, r]));
    await certs.cover(httpsNames(nextTable.keys()));
    table = nextTable;
  }
  await setRoutes(routes);
  const log = new ExchangeLog();
  // Unguessable, and new with every proxy: the key to the session cookies' endpoint.
  const sessionKey = randomBytes(24).toString('base64url');
  const refusedHosts = new Map<string, number>();
  const agents: UpstreamAgents = { http: new http.Agent({ keepAlive: true, maxSockets: 256 }), https: new https.Agent({ keepAlive: true, maxSockets: 256 }) };
  const refuse = (host: string) => refusedHosts.set(host, (refusedHosts.get(host) ?? 0) + 1);

  /**
   * The URL a request is for: absolute-form through the proxy (`http`; a `ws:` URL is read as
   * its `http:` form), or origin-form with Host inside a CONNECT tunnel (`tunnel` plain,
   * `https` after TLS). Null when it is none of these.
   */
  function targetOf(scheme: 'http' | 'tunnel' | 'https', req: IncomingMessage): URL | null {
    try {
      // Not new URL(path, base): a path starting with // would be read as a host.
      if (scheme !== 'http') return new URL(`${scheme === 'https' ? 'https' : 'http'}://${req.headers.host ?? ''}${req.url ?? '/'}`);
      const url = new URL(req.url ?? '');
      return url.protocol === 'ws:' ? new URL(`http:${url.href.slice('ws:'.length)}`) : url;
    } catch {
      return null;
    }
  }

  function handle(scheme: 'http' | 'tunnel' | 'https', req: IncomingMessage, res: ServerResponse): void {
    restoreMethod(req);
    const target = targetOf(scheme, req);
    if (!target) {
      res.writeHead(400, ['Content-Type', 'text/plain']);
      res.end('cors-conformance proxy: not a proxy request');
      return;
    }
    const route = table.get(target.origin);
    if (!route) {
      refuse(target.host);
      res.writeHead(403, ['Content-Type', 'text/plain']);
      res.end(`cors-conformance proxy: ${target.origin} is not a configured origin`);
      return;
    }
    if (answerOwnEndpoint(target, req, res, route.probePage, log, { cookies: route.sessionCookies ?? [], key: sessionKey })) return;
    if (route.upstream === null) {
      res.writeHead(404, ['Cache-Control', 'max-age=3600']);
      res.end();
      return;
    }
    const path = target.pathname + target.search;
    const exchange = log.recordRequest(target, req, route.secrets);
    if (typeof route.upstream === 'function') callInProcess(route.upstream, path, req, res, exchange);
    else
      forwardToUpstream(
        {
          url: new URL(route.upstream),
          rewriteHost: route.rewriteHost ?? false,
          tls: route.upstreamTls ?? VERIFY_TLS,
          secrets: route.secrets ?? NO_SECRETS,
          budget: route.budget ?? TARGET_BUDGET,
        },
        path,
        req,
        res,
        exchange,
        agents,
      );
  }

  const handshakes = new WebSocketHandshakes();
  function upgrade(scheme: 'http' | 'tunnel' | 'https', req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = targetOf(scheme, req);
    if (!target) {
      refuseUpgrade(socket, 400, [['Content-Type', 'text/plain']], 'cors-conformance proxy: not a proxy request');
      return;
    }
    const route = table.get(target.origin);
    if (!route) {
      refuse(target.host);
      refuseUpgrade(socket, 403, [['Content-Type', 'text/plain']], `cors-conformance proxy: ${target.origin} is not a configured origin`);
      return;
    }
    if (typeof route.upstream !== 'function') {
      refuseUpgrade(
        socket,
        501,
        [['Content-Type', 'text/plain']],
        `cors-conformance proxy: WebSocket handshakes are answered on fixture origins only, not ${target.origin}`,
      );
      return;
    }
    handshakes.answer(target, req, socket, head, log);
  }

  // Browsers send what the standard allows, and the proxy must see it as sent: a lenient
  // parser (header values with control bytes) behind the method shim (methods Node does
  // not know). The parsers sit behind loopback only.
  const plain = http.createServer({ insecureHTTPParser: true }, (req, res) => handle('http', req, res));
  const tunneled = http.createServer({ insecureHTTPParser: true }, (req, res) => handle('tunnel', req, res));
  const decrypted = http.createServer({ insecureHTTPParser: true }, (req, res) => handle('https', req, res));
  const servers = [
    ['http', plain],
    ['tunnel', tunneled],
    ['https', decrypted],
  ] as const;
  for (const [scheme, s] of servers) {
    s.keepAliveTimeout = 30_000;
    s.on('clientError', (_err, socket) => socket.destroy());
    s.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => upgrade(scheme, req, socket, head));
  }
  // CONNECT sockets leave the HTTP server's bookkeeping but still hold close() open.
  const tunnels = new Set<Socket>();
  plain.on('connect', (req: IncomingMessage, shim: MethodShim, head: Buffer) => {
    // The HTTP server gave up its error listener with the connection: a browser that resets
    // it (closing while a refused or new tunnel is answered) must not end this process.
    shim.on('error', () => shim.destroy());
    const authority = req.url ?? '';
    const originOf = (scheme: string) => {
      try {
        return new URL(`${scheme}://${authority}`).origin;
      } catch {
        return null;
      }
    };
    // The port tells which: b.test:443 is https://b.test, b.test:80 is http://b.test.
    const tls = originOf('https');
    const clear = originOf('http');
    const isTls = tls !== null && table.has(tls);
    if (!isTls && (clear === null || !table.has(clear))) {
      refuse(authority);
      shim.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const socket = shim.detach();
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    if (!isTls) {
      tunneled.emit('connection', new MethodShim(socket));
      return;
    }
    const first = certs.contextFor('');
    const tlsSocket = new TLSSocket(socket, {
      isServer: true,
      SNICallback: (servername, cb) => cb(null, certs.contextFor(servername)),
      ...(first ? { secureContext: first } : {}),
    });
    tlsSocket.on('error', () => tlsSocket.destroy());
    decrypted.emit('connection', new MethodShim(tlsSocket));
  });
  const listener = net.createServer((socket) => plain.emit('connection', new MethodShim(socket)));

  const port = await getPort({ host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (listener.address() as AddressInfo).port;
  return {
    sessionKey,
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    certificateDir: certs.dir,
    certificateNames: () => certs.names(),
    setRoutes,
    takeExchanges: (tokens) => log.take(tokens),
    refused: () => Object.fromEntries(refusedHosts),
    close: () =>
      new Promise<void>((resolve) => {
        agents.http.destroy();
        agents.https.destroy();
        handshakes.close();
        plain.closeAllConnections();
        tunneled.closeAllConnections();
        decrypted.closeAllConnections();
        for (const t of tunnels) t.destroy();
        listener.close(() => resolve());
        certs.remove();
      }),
  };
}
