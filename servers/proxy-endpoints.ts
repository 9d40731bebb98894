// The proxy's own endpoints under /__cc/ on every virtual origin: the probe page and its
// runtime, the cookies a first-party navigation sets, the step marks that separate a probe's
// requests in the log, and what the log holds so far for a probe whose outcome its page cannot
// see. They never reach an upstream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PROBE_TOKEN_PARAM, SEEN_PATH, type SeenSoFar, STEP_MARK_PATH } from '../model/wire.ts';
import { isCorsPreflightRequest } from '../oracle/index.ts';
import { probeRuntimeSource } from '../probe/bundle.ts';
import type { ExchangeLog } from './exchange-log.ts';
import { pairsFromRaw, redactHeaders } from './redact.ts';

const PROBE_DIR = new URL('../probe/', import.meta.url);

/** Where a first-party navigation picks up the route's session cookies (ProxyRoute.sessionCookies),
 *  with the proxy's session key in SESSION_KEY_PARAM. */
export const SESSION_COOKIE_PATH = '/__cc/session';
export const SESSION_KEY_PARAM = 'key';

/** Whether `given` is the proxy's session key, compared in constant time. */
function isSessionKey(given: string | null, key: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Asset {
  type: string;
  body: Buffer;
}

let assets: Record<string, Asset> | null = null;

function probeAssets(): Record<string, Asset> {
  assets ??= {
    '/__cc/probe.html': { type: 'text/html; charset=utf-8', body: readFileSync(new URL('page.html', PROBE_DIR)) },
    '/__cc/probe.js': { type: 'text/javascript; charset=utf-8', body: Buffer.from(probeRuntimeSource()) },
  };
  return assets;
}

/** A Set-Cookie line that removes the cookie `line` sets: no value, the same attributes, Max-Age=0. */
function expired(line: string): string {
  const [pair = '', ...attrs] = line.split(';');
  return [`${pair.split('=')[0] ?? ''}=`, ...attrs.map((a) => a.trim()).filter((a) => !/^(max-age|expires)=/i.test(a)), 'Max-Age=0'].join('; ');
}

/**
 * Answers the request when it is one of the proxy's own endpoints; returns false otherwise.
 * `probePage`: whether this origin serves the probe page (attacker and allowed pages, fixture
 * hosts); a real target being graded does not.
 */
export function answerOwnEndpoint(
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  probePage: boolean,
  log: ExchangeLog,
  session: { cookies: readonly string[]; key: string },
): boolean {
  const asset = probePage ? probeAssets()[target.pathname] : undefined;
  if (asset) {
    res.writeHead(200, ['Content-Type', asset.type, 'Cache-Control', 'no-store']);
    res.end(asset.body);
    return true;
  }
  // A first-party navigation here gives the browser a cookie for this origin, whether the
  // origin is a fixture host or a real target being graded.
  if (target.pathname === '/__cc/cookie') {
    const q = target.searchParams;
    const cookie = `${q.get('name') ?? 'cc_session'}=${q.get('value') ?? 'secret'}; ${q.get('attrs') ?? 'Path=/'}`;
    res.writeHead(200, ['Content-Type', 'text/html', 'Set-Cookie', cookie, 'Cache-Control', 'no-store']);
    res.end('<!doctype html><title>cookie set</title>cookie set');
    return true;
  }
  // The signed-in user's cookies (grading with --cookie): the values are held by the route,
  // so that no URL, navigation error or browser history ever carries them.
  // With ?clear, the same cookies expire: a grading leaves no session in the jar for the next one.
  // Only a navigation with this proxy's key gets them: the harness's own pages know it, any
  // other local client of the loopback proxy does not, and gets no cookie.
  if (target.pathname === SESSION_COOKIE_PATH) {
    if (!isSessionKey(target.searchParams.get(SESSION_KEY_PARAM), session.key)) {
      res.writeHead(403, ['Content-Type', 'text/plain', 'Cache-Control', 'no-store']);
      res.end('cors-conformance proxy: the session cookies go only to this run’s own pages');
      return true;
    }
    const clear = target.searchParams.has('clear');
    const lines = clear ? session.cookies.map(expired) : session.cookies;
    res.writeHead(200, ['Content-Type', 'text/html', 'Cache-Control', 'no-store', ...lines.flatMap((c) => ['Set-Cookie', c])]);
    res.end(`<!doctype html><title>session</title>${lines.length} cookie(s) ${clear ? 'cleared' : 'set'}`);
    return true;
  }
  // A no-cors GET, so it never needs a preflight of its own; ACAO * keeps it quiet in consoles.
  if (target.pathname === STEP_MARK_PATH) {
    const token = target.searchParams.get(PROBE_TOKEN_PARAM);
    if (token !== null) {
      log.record(token, {
        at: Date.now(),
        origin: target.origin,
        method: req.method ?? 'GET',
        path: target.pathname + target.search,
        requestHeaders: redactHeaders(pairsFromRaw(req.rawHeaders)),
        status: 204,
        responseHeaders: [],
        marker: Number(target.searchParams.get('step') ?? 0),
      });
    }
    res.writeHead(204, ['Access-Control-Allow-Origin', '*', 'Cache-Control', 'no-store']);
    res.end();
    return true;
  }
  // Read by the page (a simple GET from any origin, opaque frames included), never logged itself.
  if (target.pathname === SEEN_PATH) {
    const token = target.searchParams.get(PROBE_TOKEN_PARAM);
    if (token === null) {
      res.writeHead(400, ['Content-Type', 'text/plain', 'Access-Control-Allow-Origin', '*', 'Cache-Control', 'no-store']);
      res.end(`cors-conformance proxy: ${SEEN_PATH} needs ?${PROBE_TOKEN_PARAM}=TOKEN`);
      return true;
    }
    const exchanges = log.peek(token).filter((e) => e.marker === undefined);
    const preflights = exchanges.filter((e) => isCorsPreflightRequest(e.method, e.requestHeaders));
    const seen: SeenSoFar = {
      actual: exchanges.length - preflights.length,
      preflights: preflights.length,
      preflightsAnswered: preflights.filter((e) => e.status !== null || e.error !== undefined).length,
    };
    res.writeHead(200, ['Content-Type', 'application/json', 'Access-Control-Allow-Origin', '*', 'Cache-Control', 'no-store']);
    res.end(JSON.stringify(seen));
    return true;
  }
  if (target.pathname === '/favicon.ico') {
    res.writeHead(404, ['Cache-Control', 'max-age=3600']);
    res.end();
    return true;
  }
  return false;
}
