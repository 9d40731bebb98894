// The virtual-origin proxy: one local forward proxy that makes a browser believe in
// origins such as http://a.test and https://b.test. For each configured origin it serves
// the probe page itself and forwards every other path to that origin's upstream (the
// fixture server, or a real target being graded). https origins are reached by CONNECT;
// the proxy terminates TLS with certificates it makes for exactly those names (at start-up,
// and when routes are replaced).
// Every other host is refused: it must never be an open proxy, and browser background
// traffic must not leave the machine. It binds loopback only.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { MethodShim, ORIGINAL_METHOD_HEADER } from './method-shim.ts';
import getPort from 'get-port';
import type { Header } from '../model/case.ts';
import { pairsFromRaw, redactHeaders } from './observations.ts';
import { TOKEN_PARAM } from './recipe.ts';

/** Query parameters that correlate a request with a probe: the fixture's, and grading's
 *  (a name a real API is unlikely to give meaning to). */
export const GRADE_TOKEN_PARAM = 'cc_probe';
const TOKEN_PARAMS = [TOKEN_PARAM, GRADE_TOKEN_PARAM];
import { makeCertificate } from './certs.ts';

export interface ProxyRoute {
  /** The origin the browser sees, e.g. `https://a.test`. */
  origin: string;
  /** Where requests for it go: a URL (a real server being graded), a request handler called
   *  in this process (the fixture server: one HTTP parse less, and no second parser to refuse
   *  what browsers send), or null: the origin only serves the probe page and 404s the rest. */
  upstream: string | RequestListener | null;
  /** Send the upstream's own host in Host instead of the virtual one (grading a real server). */
  rewriteHost?: boolean;
  /** Serve the probe page at /__cc/probe.html on this origin. */
  probePage: boolean;
  /** For https upstreams: accept a self-signed certificate (grading a dev server). */
  insecureUpstream?: boolean;
}

/** One request that went through the proxy, and the response the browser got. */
export interface ProxyExchange {
  seq: number;
  at: number;
  origin: string;
  method: string;
  path: string;
  requestHeaders: Header[];
  status: number | null;
  responseHeaders: Header[];
  error?: string;
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
  exchanges(token: string): ProxyExchange[];
  /** Hosts the proxy refused, with how often: browser background traffic shows up here. */
  refused(): Record<string, number>;
  close(): Promise<void>;
}

const PROBE_DIR = new URL('../probe/', import.meta.url);
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function stripHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!HOP_BY_HOP.has((raw[i] as string).toLowerCase())) out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
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

export function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

export async function startProxy(routes: ProxyRoute[]): Promise<VirtualOriginProxy> {
  let table = new Map<string, ProxyRoute>();
  const certDir = mkdtempSync(join(tmpdir(), 'cors-conformance-cert-'));
  const contexts = new Map<string, SecureContext>();
  let defaultContext: SecureContext | null = null;
  let certCount = 0;
  // One certificate per batch of new names; SNI picks it. Names without SNI (IP literals)
  // get the first certificate: the engines are told to accept these certificates anyway.
  async function setRoutes(next: ProxyRoute[]): Promise<void> {
    const nextTable = new Map(next.map((r) => [normalizeOrigin(r.origin), r]));
    const names = [...new Set([...nextTable.keys()].filter((o) => o.startsWith('https:')).map((o) => new URL(o).hostname.replace(/^\[|\]$/g, '')))];
    const fresh = names.filter((n) => !contexts.has(n));
    if (fresh.length || !defaultContext) {
      const cert = await makeCertificate(fresh.length ? fresh : ['localhost']);
      certCount++;
      writeFileSync(join(certDir, `cert-${certCount}.pem`), cert.cert);
      const ctx = createSecureContext({ key: cert.key, cert: cert.cert });
      for (const n of fresh) contexts.set(n, ctx);
      defaultContext ??= ctx;
    }
    table = nextTable;
  }
  await setRoutes(routes);
  const assets = {
    '/__cc/probe.html': { type: 'text/html; charset=utf-8', body: readFileSync(new URL('page.html', PROBE_DIR)) },
    '/__cc/probe.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('runtime.js', PROBE_DIR)) },
  } as const;
  const byToken = new Map<string, ProxyExchange[]>();
  const refusedHosts = new Map<string, number>();
  let seq = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const tlsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

  const refuse = (host: string) => refusedHosts.set(host, (refusedHosts.get(host) ?? 0) + 1);

  function handle(scheme: 'http' | 'https', req: IncomingMessage, res: ServerResponse): void {
    restoreMethod(req);
    let target: URL;
    try {
      // Not new URL(path, base): a path starting with // would be read as a host.
      target = scheme === 'http' ? new URL(req.url ?? '') : new URL(`https://${req.headers.host ?? ''}${req.url ?? '/'}`);
    } catch {
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
    const path = target.pathname + target.search;
    if (route.probePage && (target.pathname === '/__cc/probe.html' || target.pathname === '/__cc/probe.js')) {
      const asset = assets[target.pathname];
      res.writeHead(200, ['Content-Type', asset.type, 'Cache-Control', 'no-store']);
      res.end(asset.body);
      return;
    }
    // A first-party navigation here gives the browser a cookie for this origin, whether the
    // origin is a fixture host or a real target being graded.
    if (target.pathname === '/__cc/cookie') {
      const q = target.searchParams;
      const cookie = `${q.get('name') ?? 'cc_session'}=${q.get('value') ?? 'secret'}; ${q.get('attrs') ?? 'Path=/'}`;
      res.writeHead(200, ['Content-Type', 'text/html', 'Set-Cookie', cookie, 'Cache-Control', 'no-store']);
      res.end('<!doctype html><title>cookie set</title>cookie set');
      return;
    }
    if (target.pathname === '/favicon.ico' || route.upstream === null) {
      res.writeHead(404, ['Cache-Control', 'max-age=3600']);
      res.end();
      return;
    }
    if (typeof route.upstream === 'function') {
      req.url = path;
      route.upstream(req, res);
      return;
    }
    const token = TOKEN_PARAMS.map((p) => target.searchParams.get(p)).find((t) => t !== null) ?? null;
    const exchange: ProxyExchange = {
      seq: ++seq,
      at: Date.now(),
      origin: target.origin,
      method: req.method ?? 'GET',
      path,
      requestHeaders: redactHeaders(pairsFromRaw(req.rawHeaders)),
      status: null,
      responseHeaders: [],
    };
    if (token !== null) {
      let list = byToken.get(token);
      if (!list) byToken.set(token, (list = []));
      list.push(exchange);
    }
    const upstream = new URL(route.upstream);
    const headers = stripHopByHop(req.rawHeaders);
    if (route.rewriteHost) {
      for (let i = 0; i < headers.length; i += 2) if (headers[i]?.toLowerCase() === 'host') headers[i + 1] = upstream.host;
    }
    const isTls = upstream.protocol === 'https:';
    const upstreamPath = upstream.pathname.replace(/\/$/, '') + path;
    const options: https.RequestOptions = {
      host: upstream.hostname,
      port: upstream.port || (isTls ? 443 : 80),
      method: req.method,
      path: upstreamPath,
      headers,
      setHost: false,
      agent: isTls ? tlsAgent : agent,
      ...(isTls ? { rejectUnauthorized: !route.insecureUpstream, servername: upstream.hostname } : {}),
    };
    const up = (isTls ? https : http).request(options, (upRes) => {
      exchange.status = upRes.statusCode ?? null;
      exchange.responseHeaders = redactHeaders(pairsFromRaw(upRes.rawHeaders));
      res.writeHead(upRes.statusCode ?? 502, stripHopByHop(upRes.rawHeaders));
      upRes.pipe(res);
    });
    up.on('error', (err) => {
      exchange.error = err.message;
      if (!res.headersSent) {
        res.writeHead(502, ['Content-Type', 'text/plain', 'X-CC-Proxy-Error', err.message.slice(0, 200)]);
      }
      res.end(`cors-conformance proxy: upstream ${route.upstream} failed: ${err.message}`);
    });
    req.pipe(up);
  }

  // Browsers send what the standard allows, and the proxy must see it as sent: a lenient
  // parser (header values with control bytes) behind the method shim (methods Node does
  // not know). Both parsers sit behind loopback only.
  const plain = http.createServer({ insecureHTTPParser: true }, (req, res) => handle('http', req, res));
  const decrypted = http.createServer({ insecureHTTPParser: true }, (req, res) => handle('https', req, res));
  for (const s of [plain, decrypted]) {
    s.keepAliveTimeout = 30_000;
    s.on('clientError', (_err, socket) => socket.destroy());
  }
  // CONNECT sockets leave the HTTP server's bookkeeping but still hold close() open.
  const tunnels = new Set<Socket>();
  plain.on('connect', (req: IncomingMessage, shim: MethodShim, head: Buffer) => {
    const authority = req.url ?? '';
    let origin: string | null = null;
    try {
      origin = new URL(`https://${authority}`).origin;
    } catch {
      origin = null;
    }
    if (!origin || !table.has(origin)) {
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
    const tlsSocket = new TLSSocket(socket, {
      isServer: true,
      SNICallback: (servername, cb) => cb(null, contexts.get(servername) ?? defaultContext ?? undefined),
      ...(defaultContext ? { secureContext: defaultContext } : {}),
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
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    certificateDir: certDir,
    certificateNames: () => [...contexts.keys()],
    setRoutes,
    exchanges: (token) => byToken.get(token) ?? [],
    refused: () => Object.fromEntries(refusedHosts),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        tlsAgent.destroy();
        plain.closeAllConnections();
        decrypted.closeAllConnections();
        for (const t of tunnels) t.destroy();
        listener.close(() => resolve());
        rmSync(certDir, { recursive: true, force: true });
      }),
  };
}
