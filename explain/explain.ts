// `explain`: one request, from a page on one origin, against the real server, in each engine.
// What each browser did (and said), the spec model's steps over the server's real response
// headers, and the smallest change on the server that makes the request work, or why no
// header change can, and what to change in the request instead.
import { randomBytes } from 'node:crypto';
import { KNOWN_DIVERGENCES } from '../cases/divergences.ts';
import type { CaseResponse, CorsCase, Credentials, Header, ResponseRecipe } from '../model/case.ts';
import type { Count, Integer } from '../model/schemas.ts';
import type { EngineId, EngineInfo, SpecExpectation } from '../model/results.ts';
import { PROBE_TOKEN_PARAM, type TargetTls, VERIFY_TLS, type WireExchange } from '../model/wire.ts';
import { badPortOf, corsPreflightRequest, corsUnsafeRequestHeaderNames, evaluate, getHeader, isCorsSafelistedMethod, listedTokens } from '../oracle/index.ts';
import { isPreflight } from '../pipeline/merge.ts';
import { runProbes, type ProbeRecord, type ProbeRequest } from '../pipeline/probe-run.ts';
import type { GradeSession } from '../pipeline/session.ts';
import { requestTarget } from '../pipeline/target.ts';
import { redactHeaders, scrubDeep, secretValuesIn } from '../servers/redact.ts';
import { OPAQUE_HOST_ORIGIN, TARGET_HOST } from '../model/virtual-origins.ts';
import type { ExplainRequest } from './request.ts';
import type { CaptureInfo } from './capture/request.ts';
import type { FrameworkConfig } from './frameworks.ts';

export interface ExchangeView {
  method: string;
  url: string;
  requestHeaders: Header[];
  status: Integer | null;
  responseHeaders: Header[];
}

export interface EngineExplanation {
  engine: EngineInfo;
  outcome: 'allowed' | 'blocked' | 'error';
  preflight: {
    sent: boolean;
    method: string | null;
    /** Access-Control-Request-Headers as sent. */
    headers: string | null;
  };
  /** What crossed the wire, exactly as the server sent it (cookie and authorization values redacted). */
  exchanges: ExchangeView[];
  /** What the page could read: the status and the response headers, when allowed. */
  readable: { status: Integer | null; type: string | null; headers: Header[] } | null;
  /** The page's own error (the TypeError), when blocked. */
  pageError: string | null;
  /** The browser's own console message about the block; null where none was captured. */
  browserMessage: string | null;
  /** The spec model says otherwise, and a known divergence explains it. */
  divergence: { id: string; title: string } | null;
}

/** One change on the server: a response header line to set (all lines of that name), or a status. */
export interface ServerChange {
  response: 'preflight' | 'actual';
  header?: Header;
  status?: Integer;
}

export interface Fix {
  /** The smallest set of server changes that makes the spec model allow the request; empty when none is needed; null when no header change can make the request work. */
  server: ServerChange[] | null;
  /** Why no header change can work, when none can. */
  why: string | null;
  /** Changes to the request that make it work against the server as it answers today. */
  request: string[];
}

/**
 * What `cors-conformance explain --json` prints: one request from a page on one origin, what
 * each engine did and said, the Fetch standard's steps over the server's real response
 * headers, and the smallest fix.
 * @title cors-conformance explain
 */
export interface Explanation {
  schema: 'cors-conformance/explain@1';
  request: {
    url: string;
    origin: string;
    method: string;
    headers: Header[];
    body: string | null;
    credentials: Credentials;
    /** The URL the browsers fetched; the proxy forwarded it to `url`. */
    browserUrl: string;
  };
  engines: EngineExplanation[];
  /** The spec model over the server's real response headers. */
  spec: SpecExpectation;
  /** What the server answered, as the spec model was given it. */
  responses: { preflight: { status: Integer; headers: Header[] } | null; actual: { status: Integer; headers: Header[] } | null };
  fix: Fix;
  /** Every engine asked allowed the request. */
  works: boolean;
  /** The engines disagree with each other. */
  enginesDisagree: boolean;
  ms: Count;
  /** Where the request came from, when it was read from a capture (`--from`). */
  capture?: CaptureInfo;
  /** The fix as the configuration of the server's framework (`--framework`, or told by its headers). */
  config?: FrameworkConfig;
  /** The repro folder written with `--repro`: its files and the one command that shows the failure. */
  repro?: { dir: string; files: string[]; command: string };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The URL the browsers fetch: the same path on a virtual host the proxy forwards to the
 * server. A loopback server is a potentially trustworthy origin, which an https page may
 * fetch over http; its virtual twin is https, so that no mixed-content block appears that the
 * real request would not meet.
 */
function browserUrl(req: ExplainRequest): URL {
  const u = new URL(req.url.href);
  if (LOOPBACK.has(u.hostname)) u.protocol = 'https:';
  u.host = TARGET_HOST;
  u.port = '';
  return u;
}

function view(e: WireExchange, real: URL): ExchangeView {
  const url = new URL(e.path, real);
  url.searchParams.delete(PROBE_TOKEN_PARAM);
  return { method: e.method, url: url.href, requestHeaders: e.requestHeaders, status: e.status, responseHeaders: e.responseHeaders };
}

/** A console line as the browser wrote it, with the probe's token left out and the real server's origin put back. */
function asWritten(line: string, token: string, virtual: URL, real: URL): string {
  return line.replace(new RegExp(`[?&]${PROBE_TOKEN_PARAM}=${token.replace(/\./g, '\\.')}`, 'g'), '').replaceAll(virtual.origin, real.origin);
}

/** The case the spec model evaluates: the request as given, the responses as the server sent them. */
function specCase(req: ExplainRequest, response: CaseResponse): CorsCase {
  return {
    id: 'explain',
    group: 'basics',
    title: 'explain',
    request: {
      page: req.origin === 'null' ? { origin: OPAQUE_HOST_ORIGIN, opaque: 'sandboxed-iframe' } : { origin: req.origin },
      url: req.url.href,
      method: req.method,
      headers: req.headers,
      body: req.body,
      credentials: req.credentials,
      mode: 'cors',
      redirect: 'follow',
    },
    response,
  };
}

function recipe(e: { status: number | null; responseHeaders: Header[] } | undefined): ResponseRecipe | null {
  return e && e.status !== null ? { status: e.status, headers: e.responseHeaders } : null;
}

const setHeader = (headers: Header[], [name, value]: Header): Header[] => [...headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()), [name, value]];

function applyChanges(r: CaseResponse, changes: readonly ServerChange[]): CaseResponse {
  const out: CaseResponse = { preflight: r.preflight ? { ...r.preflight } : null, actual: { ...r.actual } };
  for (const c of changes) {
    if (c.response === 'preflight' && !out.preflight) out.preflight = { status: 204, headers: [] };
    const target = c.response === 'preflight' && out.preflight ? out.preflight : out.actual;
    if (c.status !== undefined) target.status = c.status;
    if (c.header) target.headers = setHeader(target.headers, c.header);
  }
  return out;
}

/** Every server change that could matter for this request, in the order a developer would make them. */
function candidateChanges(req: ExplainRequest, r: CaseResponse): ServerChange[] {
  const include = req.credentials === 'include';
  const acao = req.origin;
  const out: ServerChange[] = [];
  const preflight = corsPreflightRequest(specCase(req, r).request);
  if (preflight) {
    const status = r.preflight?.status ?? 404;
    if (status < 200 || status > 299) out.push({ response: 'preflight', status: 204 });
    out.push({ response: 'preflight', header: ['Access-Control-Allow-Origin', acao] });
    if (include) out.push({ response: 'preflight', header: ['Access-Control-Allow-Credentials', 'true'] });
    // Lists grow: what the server allows today stays, the request's method and names join it.
    const listed = (name: string) => listedTokens(r.preflight?.headers ?? [], name);
    // Methods match case-sensitively, header names not.
    const grow = (name: string, wanted: string[], same: (a: string, b: string) => boolean) => {
      const today = listed(name);
      const missing = wanted.filter((w) => !today.some((t) => same(t, w)));
      if (missing.length) out.push({ response: 'preflight', header: [name, [...today, ...missing].join(', ')] });
    };
    if (!isCorsSafelistedMethod(preflight.method)) grow('Access-Control-Allow-Methods', [preflight.method], (a, b) => a === b);
    grow('Access-Control-Allow-Headers', corsUnsafeRequestHeaderNames(req.headers), (a, b) => a.toLowerCase() === b.toLowerCase());
  }
  out.push({ response: 'actual', header: ['Access-Control-Allow-Origin', acao] });
  if (include) out.push({ response: 'actual', header: ['Access-Control-Allow-Credentials', 'true'] });
  // A dynamic Access-Control-Allow-Origin needs Vary: Origin; it changes no verdict, so the
  // pruning below keeps it only in the advice, not as a required change.
  return out;
}

function allows(req: ExplainRequest, r: CaseResponse): boolean {
  return evaluate(specCase(req, r)).outcome === 'allowed';
}

/** The smallest set of server changes: all candidates, then each one dropped if the rest still work. */
export function smallestFix(req: ExplainRequest, r: CaseResponse): Fix {
  const spec = evaluate(specCase(req, r));
  const request = requestAlternatives(req, r);
  if (spec.outcome === 'allowed') return { server: [], why: null, request: [] };
  // Allowing "null" would let every sandboxed iframe and data: document on any site in.
  if (req.origin === 'null') {
    return {
      server: null,
      why: 'The page has an opaque origin (Origin: null). Only Access-Control-Allow-Origin: null or * could let it read, and any site can make a null-origin page, so no safe header change exists: serve the page from a real origin and allow that one.',
      request,
    };
  }
  let changes = candidateChanges(req, r);
  if (!allows(req, applyChanges(r, changes))) {
    const after = evaluate(specCase(req, applyChanges(r, changes)));
    return { server: null, why: `No response header change makes this request work: ${after.reason}`, request };
  }
  for (const c of [...changes]) {
    const without = changes.filter((x) => x !== c);
    if (allows(req, applyChanges(r, without))) changes = without;
  }
  // A change that sets a header to the value it already has is no change.
  const current = (c: ServerChange) => {
    const rec = c.response === 'preflight' ? r.preflight : r.actual;
    return c.header ? getHeader(rec?.headers ?? [], c.header[0]) === c.header[1] : rec?.status === c.status;
  };
  return { server: changes.filter((c) => !current(c)), why: null, request };
}

/** Changes on the page's side that would make the request work against today's answers. */
function requestAlternatives(req: ExplainRequest, r: CaseResponse): string[] {
  const out: string[] = [];
  const tryReq = (change: string, next: ExplainRequest) => {
    if (allows(next, r)) out.push(change);
  };
  if (req.credentials === 'include') {
    const star = getHeader(r.actual.headers, 'Access-Control-Allow-Origin') === '*' ? ": '*' and credentials never go together" : '';
    tryReq(`send it without credentials (credentials: 'same-origin' or 'omit')${star}`, { ...req, credentials: 'same-origin' });
  }
  const unsafe = corsUnsafeRequestHeaderNames(req.headers);
  if (unsafe.length) {
    const kept = req.headers.filter(([n]) => !unsafe.includes(n.toLowerCase()));
    tryReq(`leave out the header(s) ${unsafe.join(', ')}, so that no preflight is needed for them`, { ...req, headers: kept });
  }
  if (!isCorsSafelistedMethod(req.method)) tryReq(`use GET or POST instead of ${req.method}`, { ...req, method: 'GET', body: null });
  // Refused before any request is sent: no response header can change these two.
  if (req.url.protocol === 'http:' && req.origin.startsWith('https:')) {
    const secure = new URL(req.url.href);
    secure.protocol = 'https:';
    tryReq(
      `call it over https (${secure.href}): an https page may not fetch an http URL that is not potentially trustworthy (mixed content), whatever the server answers`,
      { ...req, url: secure },
    );
  }
  const bad = badPortOf(req.url);
  if (bad !== null) {
    const moved = new URL(req.url.href);
    moved.port = '';
    tryReq(`serve it on another port: browsers refuse to connect to port ${bad} (one of the Fetch standard's bad ports), before any request is sent`, {
      ...req,
      url: moved,
    });
  }
  return out;
}

function divergenceFor(c: CorsCase, engine: EngineId, observed: 'allowed' | 'blocked' | 'error', spec: SpecExpectation): EngineExplanation['divergence'] {
  if (observed === 'error' || observed === spec.outcome) return null;
  const rule = KNOWN_DIVERGENCES.find((d) => d.engines.includes(engine) && d.applies(c));
  return rule ? { id: rule.id, title: rule.title } : null;
}

/** The request as an explanation writes it out: authorization values are redacted, as in the
 *  proxy's log; `browserUrl` is where the engines sent it. */
function requestRecord(req: ExplainRequest, browserUrl: URL): Explanation['request'] {
  return {
    url: req.url.href,
    origin: req.origin,
    method: req.method,
    headers: redactHeaders(req.headers),
    body: req.body,
    credentials: req.credentials,
    browserUrl: browserUrl.href,
  };
}

/**
 * The spec model alone, over answers the server gave once (a HAR's): for a server that no longer
 * answers, no browser can run the request, so `engines` is empty and `works` is the model's word.
 */
export function explainRecorded(req: ExplainRequest, response: CaseResponse, capture: CaptureInfo): Explanation {
  const started = performance.now();
  const spec = evaluate(specCase(req, response));
  return scrubDeep<Explanation>(
    {
      schema: 'cors-conformance/explain@1',
      request: requestRecord(req, req.url),
      engines: [],
      spec,
      responses: {
        preflight: response.preflight ? { status: response.preflight.status, headers: response.preflight.headers } : null,
        actual: response.actual.status ? { status: response.actual.status, headers: response.actual.headers } : null,
      },
      fix: smallestFix(req, response),
      works: spec.outcome === 'allowed',
      enginesDisagree: false,
      ms: Math.round(performance.now() - started),
      capture: { ...capture, recorded: 'used' },
    },
    secretValuesIn(req.headers),
  );
}

/** Runs the request in every engine of the session and explains what happened. */
export async function explain(session: GradeSession, req: ExplainRequest, opts: { timeoutMs?: number; tls?: TargetTls } = {}): Promise<Explanation> {
  const started = performance.now();
  const virtual = browserUrl(req);
  const pageOrigin = req.origin === 'null' ? OPAQUE_HOST_ORIGIN : req.origin;
  // An authorization value given with --header is redacted wherever it shows up, a server's echo included.
  const secrets = { headers: [], values: secretValuesIn(req.headers) };
  await session.proxy.setRoutes([
    { origin: virtual.origin, upstream: req.url.origin, probePage: false, rewriteHost: true, upstreamTls: opts.tls ?? VERIFY_TLS, secrets },
    { origin: pageOrigin, upstream: null, probePage: true },
  ]);
  const probe: ProbeRequest<null> = {
    subject: null,
    id: 'explain',
    pageOrigin,
    opaque: req.origin === 'null' ? 'sandboxed-iframe' : null,
    url: (token) => {
      const u = new URL(virtual.href);
      u.searchParams.set(PROBE_TOKEN_PARAM, token);
      return u.href;
    },
    request: { method: req.method, headers: req.headers, body: req.body, credentials: req.credentials, mode: 'cors', redirect: 'follow' },
    prior: [],
    readHeaders: [],
  };
  const runId = randomBytes(4).toString('hex');
  const records = new Map<EngineId, ProbeRecord<null>>();
  for (const engine of session.engines) {
    await runProbes(engine, [probe], {
      runId,
      proxy: session.proxy,
      cookieOrigins: [],
      concurrency: 1,
      timeoutMs: opts.timeoutMs ?? 10_000,
      onRecords: (chunk) => {
        for (const r of chunk) records.set(engine.info.id, r);
      },
    });
  }
  // The server's answers, as the browsers received them.
  const all = [...records.values()].flatMap((r) => (r.observed.ok ? r.observed.merged.exchanges : []));
  const preflightSeen = all.find((e) => isPreflight(e) && e.status !== null);
  // No browser got as far as the actual request (its preflight failed): ask the server
  // directly, so that the fix covers the actual response too.
  const actualSeen =
    all.find((e) => !isPreflight(e) && e.status !== null) ??
    (await requestTarget(new URL(req.url.origin), req.url.pathname + req.url.search, req.method, [['Origin', req.origin], ...req.headers], {
      timeoutMs: opts.timeoutMs ?? 10_000,
      ...(opts.tls ? { tls: opts.tls } : {}),
    }).catch(() => undefined));
  const response: CaseResponse = {
    preflight: recipe(preflightSeen),
    actual: recipe(actualSeen) ?? { status: 0, headers: [] },
  };
  const c = specCase(req, response);
  const spec = evaluate(c);
  const engines: EngineExplanation[] = session.engines.map((engine) => {
    const rec = records.get(engine.info.id);
    if (!rec?.observed.ok) {
      const error = rec && !rec.observed.ok ? rec.observed.failure.error : 'no result';
      return {
        engine: engine.info,
        outcome: 'error' as const,
        preflight: { sent: false, method: null, headers: null },
        exchanges: [],
        readable: null,
        pageError: error,
        browserMessage: null,
        divergence: null,
      };
    }
    const m = rec.observed.merged;
    const pre = m.preflights[0];
    const outcome = m.final.outcome;
    return {
      engine: engine.info,
      outcome,
      preflight: {
        sent: m.preflights.length > 0,
        method: pre ? getHeader(pre.requestHeaders, 'access-control-request-method') : null,
        headers: pre ? getHeader(pre.requestHeaders, 'access-control-request-headers') : null,
      },
      exchanges: m.exchanges.map((e) => view(e, req.url)),
      readable: outcome === 'allowed' ? { status: m.final.status, type: m.final.type, headers: m.final.readable } : null,
      pageError: m.final.error,
      browserMessage: m.browserReason ? asWritten(m.browserReason, rec.token, virtual, req.url) : null,
      divergence: divergenceFor(c, engine.info.id, outcome, spec),
    };
  });
  const outcomes = new Set(engines.map((e) => e.outcome));
  return scrubDeep<Explanation>(
    {
      schema: 'cors-conformance/explain@1',
      request: requestRecord(req, virtual),
      engines,
      spec,
      responses: {
        preflight: response.preflight ? { status: response.preflight.status, headers: response.preflight.headers } : null,
        actual: actualSeen ? { status: response.actual.status, headers: response.actual.headers } : null,
      },
      fix: smallestFix(req, response),
      works: engines.every((e) => e.outcome === 'allowed'),
      enginesDisagree: outcomes.size > 1,
      ms: Math.round(performance.now() - started),
    },
    secrets.values,
  );
}
