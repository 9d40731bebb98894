// Where the proxy sends a request that is not one of its own endpoints: a handler in this
// process (the fixture server: one HTTP parse less, and no second parser to refuse what
// browsers send) or a real server being graded. Either way, a request that carries a probe
// token is recorded with the response the browser got.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { TargetTls, WireExchange } from '../model/wire.ts';
import { budgetExceeded, type ExchangeBudget, isValidStatus } from '../model/budgets.ts';
import { pairsFromRaw, redactHeaders, type Secrets } from './redact.ts';

const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function stripHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!HOP_BY_HOP.has((raw[i] as string).toLowerCase())) out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

/** The header lines of a writeHead call: a flat raw array, an array of pairs, or an object. */
function headerLines(arg: unknown): string[] {
  if (Array.isArray(arg)) return arg.flat().map(String);
  if (arg && typeof arg === 'object') {
    return Object.entries(arg as Record<string, unknown>).flatMap(([n, v]) => (Array.isArray(v) ? v.flatMap((x) => [n, String(x)]) : [n, String(v)]));
  }
  return [];
}

/** Calls an in-process handler and records the status and header lines it answers with. */
export function callInProcess(handler: RequestListener, path: string, req: IncomingMessage, res: ServerResponse, exchange: WireExchange | null): void {
  req.url = path;
  if (exchange) {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      exchange.status = status;
      exchange.responseHeaders = redactHeaders(pairsFromRaw(headerLines(rest.find((a) => typeof a !== 'string'))));
      return writeHead(status, ...rest);
    }) as ServerResponse['writeHead'];
  }
  handler(req, res);
}

export interface Upstream {
  url: URL;
  /** Send the upstream's own host in Host instead of the virtual one. */
  rewriteHost: boolean;
  /** For https upstreams: how the certificate is checked. */
  tls: TargetTls;
  /** What the log redacts in the response headers besides the standard secret headers. */
  secrets: Secrets;
  /** Time to headers, time for the body, byte cap (model/budgets.ts). */
  budget: ExchangeBudget;
}

export interface UpstreamAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Forwards the request to a real server and pipes its response back. */
export function forwardToUpstream(
  upstream: Upstream,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  exchange: WireExchange | null,
  agents: UpstreamAgents,
): void {
  const target = upstream.url;
  const headers = stripHopByHop(req.rawHeaders);
  if (upstream.rewriteHost) {
    for (let i = 0; i < headers.length; i += 2) if (headers[i]?.toLowerCase() === 'host') headers[i + 1] = target.host;
  }
  const isTls = target.protocol === 'https:';
  const options: https.RequestOptions = {
    host: target.hostname,
    port: target.port || (isTls ? 443 : 80),
    method: req.method,
    path: target.pathname.replace(/\/$/, '') + path,
    headers,
    setHost: false,
    agent: isTls ? agents.https : agents.http,
    ...(isTls
      ? {
          rejectUnauthorized: !upstream.tls.insecure,
          // SNI carries host names only; an IP address is checked against the certificate's IP entries.
          ...(isIP(target.hostname) ? {} : { servername: target.hostname }),
          ...(upstream.tls.ca ? { ca: upstream.tls.ca } : {}),
        }
      : {}),
  };
  // A connection the upstream resets before any answer (a kept-alive socket it closed just
  // as it was reused, or a server under load) is tried again, twice at most, before the
  // browser sees a failure. The body is read first so that it can be sent again.
  const budget = upstream.budget;
  const fail = (message: string) => {
    if (exchange) exchange.error = message;
    if (!res.headersSent) {
      res.writeHead(502, ['Content-Type', 'text/plain', 'X-CC-Proxy-Error', message.slice(0, 200)]);
      res.end(`cors-conformance proxy: upstream ${target.href} failed: ${message}`);
    } else res.destroy();
  };
  const send = (body: Buffer, attempt: number) => {
    const up = (isTls ? https : http).request(options, (upRes) => {
      clearTimeout(headersTimer);
      if (!isValidStatus(upRes.statusCode)) {
        upRes.destroy();
        fail(`the target answered with an invalid status code ${String(upRes.statusCode ?? '').padStart(3, '0')}`);
        return;
      }
      if (exchange) {
        exchange.status = upRes.statusCode;
        exchange.responseHeaders = redactHeaders(pairsFromRaw(upRes.rawHeaders), upstream.secrets);
      }
      try {
        res.writeHead(upRes.statusCode, stripHopByHop(upRes.rawHeaders));
      } catch (err) {
        // A header Node will not write on (it parsed it, but refuses to send it on).
        upRes.destroy();
        fail(`the target's response headers cannot be passed on (${(err as Error).message})`);
        return;
      }
      // The body within its budget: past the time or the byte cap the exchange is cut, and
      // the browser sees a network error, recorded as the target's failure.
      let bytes = 0;
      const cut = (message: string) => {
        if (exchange) exchange.error = message;
        upRes.destroy();
        res.destroy();
      };
      const bodyTimer = setTimeout(() => cut(budgetExceeded.body(budget)), budget.bodyMs);
      upRes.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > budget.maxBodyBytes) cut(budgetExceeded.bytes(budget));
      });
      upRes.on('close', () => clearTimeout(bodyTimer));
      upRes.pipe(res);
    });
    // From the moment the request has a connection to the target (not while it waits for one).
    let headersTimer: NodeJS.Timeout | undefined;
    up.once('socket', () => {
      headersTimer = setTimeout(() => up.destroy(new Error(budgetExceeded.headers(budget))), budget.headersMs);
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(headersTimer);
      if (attempt < 2 && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && !res.headersSent) {
        send(body, attempt + 1);
        return;
      }
      fail(err.message);
    });
    up.end(body);
  };
  // The browser went away (its page closed, or the probe's own timeout): the upstream request
  // goes too, so no socket to the target outlives the probe.
  res.on('close', () => {
    if (!res.writableFinished) req.destroy();
  });
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => send(Buffer.concat(chunks), 0));
}
