// The spec model: what the Fetch standard requires for one declarative case, decision by
// decision, following main fetch → HTTP fetch → CORS-preflight fetch → CORS check →
// HTTP-redirect fetch. It describes the standard, not any browser (cases/divergences.ts lists
// where the engines differ from it, e.g. `Access-Control-Allow-Headers: *` and Authorization).
// Each decision is data (oracle/decisions.ts); oracle/render.ts puts it into words.
import {
  redirectTarget,
  type CaseRequest,
  type CaseResponse,
  type CorsCase,
  type Credentials,
  type Header,
  type Initiator,
  type RedirectMode,
  type RequestMode,
  type ResponseRecipe,
  type SpecOutcome,
} from '../model/case.ts';
import type { SpecExpectation } from '../model/results.ts';
import { ANCHOR } from './anchors.ts';
import { OracleCaseError } from './errors.ts';
import type { CheckedResponse, CorpDecision, CorsCheckDecision, Decision, HopRef } from './decisions.ts';
import {
  type EmbedderPolicy,
  PAGE_EMBEDDER_POLICY,
  BAD_PORTS,
  badPortOf,
  blockedAsMixedContent,
  blockedDueToMimeType,
  blockedDueToNosniff,
  crossOriginResourcePolicyCheck,
  mixedContentUpgrade,
  prohibitsMixedSecurityContexts,
} from './blocking.ts';
import {
  constructRequest,
  corsUnsafeRequestHeaderNames,
  isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isRequestBodyHeaderName,
  withUserAgentAccept,
} from './classify.ts';
import {
  FAILURE,
  type HeaderList,
  type ResponseType,
  byteCaseInsensitiveEqual,
  corsExposedHeaderNames,
  getHeader,
  headerListContains,
  headerValues,
  extractTokenListValues,
  parseMimeType,
  serializeMimeType,
  trimOws,
  visibleResponseHeaderNames,
} from './headers.ts';
import {
  type DeliveredResponse,
  type DerivedRequest,
  checkInitiatorCase,
  keepaliveQuota,
  observeNetworkError,
  observeResponse,
  responseMimeEssence,
  xhrRequest,
} from './initiators.ts';
import { type CacheRequestKey, PreflightCache, parseMaxAge } from './preflight-cache.ts';
import { renderDecision, renderStep } from './render.ts';
import { invariant } from '../model/errors.ts';

export interface OracleOptions {
  /** The user agent's "imposed limit" on max-age in seconds (§4.8); the standard sets none. */
  maxAgeLimitSeconds?: number;
  /**
   * Headers the server adds to every actual response when the recipe has no line of that name
   * (the fixture adds `Cache-Control: no-store`). They count for readable headers.
   */
  implicitResponseHeaders?: Header[];
}

export { OracleCaseError };

// --- CORS check (§4.10) ----------------------------------------------------------------------

export interface CorsCheckResult {
  ok: boolean;
  decision: CorsCheckDecision;
}

/**
 * "CORS check": "get" Access-Control-Allow-Origin (several lines combine with ", ", so they
 * always fail); `*` passes only without credentials mode "include"; otherwise the value must
 * equal the byte-serialized request origin, and with "include" ACAC must be exactly `true`.
 * `response` names the response checked, when the check is a step of a fetch.
 */
export function corsCheck(responseHeaders: HeaderList, serializedOrigin: string, credentials: Credentials, response?: CheckedResponse): CorsCheckResult {
  const include = credentials === 'include';
  const origin = getHeader(responseHeaders, 'Access-Control-Allow-Origin');
  const facts = {
    requestOrigin: serializedOrigin,
    credentials,
    allowOriginLines: headerValues(responseHeaders, 'Access-Control-Allow-Origin').length,
    allowCredentials: getHeader(responseHeaders, 'Access-Control-Allow-Credentials'),
    ...(response ? { response } : {}),
  };
  const anchor = ANCHOR.corsCheck;
  if (origin === null) {
    return { ok: false, decision: { kind: 'cors-check', result: 'acao-absent', facts: { ...facts, allowOrigin: null }, anchor } };
  }
  const decide = (ok: boolean, result: Exclude<CorsCheckDecision['result'], 'acao-absent'>): CorsCheckResult => ({
    ok,
    decision: { kind: 'cors-check', result, facts: { ...facts, allowOrigin: origin }, anchor },
  });
  if (!include && origin === '*') return decide(true, 'wildcard-ok');
  if (origin !== serializedOrigin) {
    return decide(false, facts.allowOriginLines > 1 ? 'combined-lines' : origin === '*' ? 'wildcard-with-credentials' : 'origin-mismatch');
  }
  if (!include) return decide(true, 'origin-ok');
  if (facts.allowCredentials !== 'true') return decide(false, 'acac-not-true');
  return decide(true, 'credentialed-ok');
}

// --- The model's request and run state ------------------------------------------------------------

type Tainting = 'basic' | 'cors' | 'opaque';

interface Hop {
  url: URL;
  /** Cache identity of this hop's URL: the fixture encodes each hop's recipe in its query. */
  cacheUrl: string;
  response: CaseResponse;
}

interface ModelRequest {
  /** ASCII serialization of the request's origin; null for an opaque origin. */
  origin: string | null;
  urlList: Hop[];
  method: string;
  headers: Header[];
  credentials: Credentials;
  mode: RequestMode;
  redirectMode: RedirectMode;
  tainting: Tainting;
  redirectCount: number;
  /** Set for a keepalive request: its body counts against the keepalive quota. */
  keepalive?: { body: string | null | undefined };
  /** The request's destination ("" for fetch(), XMLHttpRequest, EventSource and beacons). */
  destination: string;
  /** What the request's client (the document) brings to the checks that are not CORS: whether it
   *  prohibits mixed security contexts (an https page, or a frame inside one), and its embedder
   *  policy. */
  client: { prohibitsMixedSecurityContexts: boolean; embedderPolicy: EmbedderPolicy };
}

interface NetworkResponse {
  kind: 'response';
  type: ResponseType;
  status: number;
  headers: Header[];
}

interface NetworkError {
  kind: 'error';
  decision: Decision;
}

type FetchResult = NetworkResponse | NetworkError;

/** What the server sees of one request the model sends: its Origin header (null when it carries
 *  none) and whether it includes credentials (cookies). */
export interface WireRequest {
  origin: string | null;
  credentials: boolean;
}

class Run {
  readonly decisions: Decision[] = [];
  preflights = 0;
  /** Actual (non-preflight) requests sent, redirect hops included. */
  actualSent = 0;
  /** The first CORS-preflight request sent, and the last actual request sent. */
  firstPreflight: WireRequest | null = null;
  lastActual: WireRequest | null = null;
  constructor(
    readonly cache: PreflightCache,
    readonly nowMs: number,
    readonly options: OracleOptions,
  ) {}

  step(decision: Decision): Decision {
    this.decisions.push(decision);
    return decision;
  }

  error(decision: Decision): NetworkError {
    return { kind: 'error', decision: this.step(decision) };
  }
}

function currentHop(req: ModelRequest): Hop {
  const hop = req.urlList[req.urlList.length - 1];
  if (!hop) throw new OracleCaseError('request has an empty URL list');
  return hop;
}

/** Redirect-taint (§2.2.5), reduced to the only question serialization asks: same-origin or not. */
function redirectTaintIsSameOrigin(req: ModelRequest): boolean {
  let last: Hop | null = null;
  for (const hop of req.urlList) {
    if (last !== null && hop.url.origin !== last.url.origin && req.origin !== last.url.origin) return false;
    last = hop;
  }
  return true;
}

/** "Serializing a request origin": "null" for an opaque origin or once redirect-tainted. */
function serializeRequestOrigin(req: ModelRequest): string {
  if (req.origin === null || !redirectTaintIsSameOrigin(req)) return 'null';
  return req.origin;
}

/**
 * "Append a request `Origin` header" (HTTP-network-or-cache fetch, on every request that goes
 * out): a CORS-tainted request (and a WebSocket handshake) carries its serialized origin; any
 * other request only when its method is neither GET nor HEAD, and then, outside mode cors, as
 * `null` where the referrer policy says so. Every page here has the default referrer policy,
 * strict-origin-when-cross-origin, which gives `null` from an https origin to a URL that is not
 * https. GET and HEAD requests with basic or opaque tainting carry none.
 *
 * Reading: the standard appends Origin only there, so a same-origin GET in mode cors (basic
 * tainting) has none, and a request whose method a redirect turned into GET loses it unless it
 * is CORS-tainted; cases/divergences.ts records the engines that send it anyway.
 */
function requestOriginHeader(req: ModelRequest, websocket = false): string | null {
  const serialized = serializeRequestOrigin(req);
  if (req.tainting === 'cors' || websocket) return serialized;
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  if (req.mode !== 'cors' && req.origin !== null && req.origin.startsWith('https:') && currentHop(req).url.protocol !== 'https:') return 'null';
  return serialized;
}

/** HTTP-network-or-cache fetch's includeCredentials: credentials mode include, or same-origin
 *  while the response tainting is still basic. */
function includesCredentials(req: ModelRequest): boolean {
  return req.credentials === 'include' || (req.credentials === 'same-origin' && req.tainting === 'basic');
}

function cacheKey(req: ModelRequest): CacheRequestKey {
  return { origin: serializeRequestOrigin(req), url: currentHop(req).cacheUrl, credentials: req.credentials === 'include' };
}

function isRedirectStatus(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

function isHttpScheme(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/** The header list the network delivers: field values never carry surrounding whitespace. */
function receivedHeaders(recipe: ResponseRecipe, implicit: readonly Header[]): Header[] {
  const headers: Header[] = recipe.headers.map(([n, v]) => [n, trimOws(v)]);
  for (const [name, value] of implicit) {
    if (!headerListContains(headers, name)) headers.push([name, value]);
  }
  return headers;
}

function hopRef(req: ModelRequest): HopRef {
  return { origin: currentHop(req).url.origin, index: req.urlList.length - 1 };
}

/** HTTP-redirect fetch: a request's redirect count may not pass 20. */
const REDIRECT_LIMIT = 20;

// --- Main fetch (§4.1) ------------------------------------------------------------------------

/**
 * Main fetch steps 6 and 7, on the request's current URL (every redirect hop runs main fetch
 * again): an upgradeable mixed-content request goes to https, then a bad port or a request
 * that is still mixed content is a network error. Null when the request may go out.
 */
function requestBlocking(run: Run, req: ModelRequest): NetworkError | null {
  const hop = currentHop(req);
  const { prohibitsMixedSecurityContexts } = req.client;
  const upgraded = mixedContentUpgrade(hop.url, req.destination, prohibitsMixedSecurityContexts);
  if (upgraded) {
    run.step({
      kind: 'mixed-content',
      result: 'upgraded',
      facts: { hop: hopRef(req), from: hop.url.origin, to: upgraded.origin, destination: req.destination },
      anchor: ANCHOR.mixedContentUpgrade,
    });
    hop.cacheUrl = hop.cacheUrl.replace(hop.url.href, upgraded.href);
    hop.url = upgraded;
  }
  const refused = refusedBeforeFetch(hopRef(req), hop.url, req.destination, prohibitsMixedSecurityContexts);
  return refused ? run.error(refused) : null;
}

/** Main fetch step 7 on `url` (after any mixed-content upgrade): a bad port, or a request that is
 *  still mixed content, is refused before it goes out. The refusing decision, or null. */
function refusedBeforeFetch(hop: HopRef, url: URL, destination: string, prohibitsMixedSecurityContexts: boolean): Decision | null {
  const port = badPortOf(url);
  if (port !== null)
    return { kind: 'bad-port', result: 'blocked', facts: { hop, url: url.origin, port, service: BAD_PORTS.get(port) ?? '' }, anchor: ANCHOR.blockBadPort };
  if (blockedAsMixedContent(url, prohibitsMixedSecurityContexts))
    return { kind: 'mixed-content', result: 'blocked', facts: { hop, url: url.origin, destination }, anchor: ANCHOR.mixedContentShouldBlockFetch };
  return null;
}

function mainFetch(run: Run, req: ModelRequest): FetchResult {
  const blocked = requestBlocking(run, req);
  if (blocked) return blocked;
  const hop = currentHop(req);
  if (req.origin !== null && hop.url.origin === req.origin && req.tainting === 'basic') {
    run.step({ kind: 'main-fetch', result: 'same-origin', facts: { hop: hopRef(req) }, anchor: ANCHOR.mainFetch });
    return httpFetch(run, req, false);
  }
  if (hop.url.protocol === 'data:') {
    // Before the mode checks: a data: URL gets basic tainting in every mode (cors, no-cors and
    // same-origin alike), and scheme fetch answers it without the network.
    req.tainting = 'basic';
    run.step({ kind: 'main-fetch', result: 'data-url', facts: { hop: hopRef(req) }, anchor: ANCHOR.mainFetch });
    return dataUrlFetch(run, req);
  }
  if (req.mode === 'same-origin') {
    return run.error({ kind: 'main-fetch', result: 'same-origin-mode-cross-origin', facts: { origin: hop.url.origin }, anchor: ANCHOR.mainFetch });
  }
  if (req.mode === 'no-cors') {
    if (req.redirectMode !== 'follow') {
      return run.error({ kind: 'main-fetch', result: 'no-cors-redirect-mode', facts: { redirectMode: req.redirectMode }, anchor: ANCHOR.mainFetch });
    }
    req.tainting = 'opaque';
    run.step({ kind: 'main-fetch', result: 'no-cors', facts: { hop: hopRef(req) }, anchor: ANCHOR.mainFetch });
    return httpFetch(run, req, false);
  }
  if (!isHttpScheme(hop.url)) {
    return run.error({ kind: 'main-fetch', result: 'not-http-scheme', facts: { scheme: hop.url.protocol }, anchor: ANCHOR.mainFetch });
  }
  req.tainting = 'cors';
  const unsafeNames = corsUnsafeRequestHeaderNames(req.headers);
  const methodUnsafe = !isCorsSafelistedMethod(req.method);
  if (methodUnsafe || unsafeNames.length > 0) {
    run.step({
      kind: 'main-fetch',
      result: 'cors-preflight-needed',
      facts: { hop: hopRef(req), method: req.method, methodSafelisted: !methodUnsafe, unsafeHeaderNames: unsafeNames },
      anchor: methodUnsafe ? ANCHOR.corsSafelistedMethod : ANCHOR.corsUnsafeRequestHeaderNames,
    });
    const response = httpFetch(run, req, true);
    if (response.kind === 'error') {
      const removed = run.cache.clear(cacheKey(req));
      if (removed > 0) run.step({ kind: 'preflight', result: 'cache-cleared', facts: { removed }, anchor: ANCHOR.clearCacheEntries });
    }
    return response;
  }
  run.step({ kind: 'main-fetch', result: 'cors-no-preflight', facts: { hop: hopRef(req) }, anchor: ANCHOR.mainFetch });
  return httpFetch(run, req, false);
}

/**
 * Scheme fetch of a data: URL: the "data: URL processor" gives a 200 response whose
 * Content-Type is the URL's MIME type (`text/plain;charset=US-ASCII` when it has none or it does
 * not parse). Nothing goes on the wire. The recipe's asset says which bytes the URL holds.
 */
function dataUrlFetch(run: Run, req: ModelRequest): FetchResult {
  const url = currentHop(req).url;
  const comma = url.href.indexOf(',');
  if (comma === -1) {
    return run.error({ kind: 'main-fetch', result: 'data-url-failure', facts: { hop: hopRef(req) }, anchor: ANCHOR.dataUrlProcessor });
  }
  const type = dataUrlMimeType(url.href.slice('data:'.length, comma));
  run.step({ kind: 'main-fetch', result: 'data-url-response', facts: { hop: hopRef(req), contentType: type }, anchor: ANCHOR.schemeFetch });
  return { kind: 'response', type: 'basic', status: 200, headers: [['Content-Type', type]] };
}

/** The data: URL processor's MIME type: the part before the comma, stripped of HTTP
 *  whitespace and of a final `;base64`; `text/plain;charset=US-ASCII` when empty or unparsable. */
function dataUrlMimeType(raw: string): string {
  let type = raw.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  const base64 = /;[\t ]*base64[\t ]*$/i.exec(type);
  if (base64) type = type.slice(0, base64.index);
  if (type.startsWith(';')) type = `text/plain${type}`;
  const parsed = parseMimeType(type);
  return parsed === FAILURE ? 'text/plain;charset=US-ASCII' : serializeMimeType(parsed);
}

// --- HTTP fetch (§4.4) -------------------------------------------------------------------------

function httpFetch(run: Run, req: ModelRequest, makeCorsPreflight: boolean): FetchResult {
  const hop = currentHop(req);
  if (makeCorsPreflight) {
    const key = cacheKey(req);
    const methodNeeds = !isCorsSafelistedMethod(req.method) && !run.cache.methodMatch(key, req.method, run.nowMs);
    const uncovered = corsUnsafeRequestHeaderNames(req.headers).filter((n) => !run.cache.headerNameMatch(key, n, run.nowMs));
    if (methodNeeds || uncovered.length > 0) {
      const preflight = corsPreflightFetch(run, req);
      if (preflight.kind === 'error') return preflight;
    } else {
      run.step({ kind: 'preflight', result: 'cache-hit', facts: {}, anchor: ANCHOR.methodCacheEntryMatch });
    }
  }

  if (req.keepalive) {
    const quota = keepaliveQuota(req.keepalive.body, 'fetch');
    if (quota) return run.error(quota);
  }
  run.actualSent++;
  run.lastActual = { origin: requestOriginHeader(req), credentials: includesCredentials(req) };
  const recipe = hop.response.actual;
  const response: NetworkResponse = {
    kind: 'response',
    type: req.tainting,
    status: recipe.status,
    headers: receivedHeaders(recipe, run.options.implicitResponseHeaders ?? []),
  };
  if (req.tainting === 'cors') {
    // HTTP fetch runs the CORS check before looking at the status, so a 3xx hop of a CORS
    // request must carry Access-Control-Allow-Origin too.
    const check = corsCheck(response.headers, serializeRequestOrigin(req), req.credentials, {
      stage: 'actual',
      status: recipe.status,
      redirect: isRedirectStatus(recipe.status),
      hop: hopRef(req),
    });
    if (!check.ok) return run.error(check.decision);
    run.step(check.decision);
  }
  if (req.tainting === 'opaque') {
    const corp = corpCheck(run, req, response);
    if (corp) return corp;
  }

  if (isRedirectStatus(recipe.status)) {
    switch (req.redirectMode) {
      case 'error':
        return run.error({ kind: 'redirect', result: 'mode-error', facts: { status: recipe.status }, anchor: ANCHOR.httpFetch });
      case 'manual':
        run.step({ kind: 'redirect', result: 'mode-manual', facts: { status: recipe.status }, anchor: ANCHOR.filteredResponseOpaqueRedirect });
        return { ...response, type: 'opaqueredirect' };
      case 'follow':
        return httpRedirectFetch(run, req, recipe);
    }
  }
  return response;
}

/**
 * HTTP fetch step 5: an opaque response (a redirect too) passes the cross-origin resource policy
 * check with the request's origin, or is a network error. A step is written when the response
 * has the header or the embedder policy gives it a policy; null when the response may go on.
 */
function corpCheck(run: Run, req: ModelRequest, response: NetworkResponse): NetworkError | null {
  const hop = currentHop(req);
  const requestIncludesCredentials = req.credentials === 'include' || (req.credentials === 'same-origin' && req.origin === hop.url.origin);
  const { embedderPolicy } = req.client;
  const check = crossOriginResourcePolicyCheck(req.origin, embedderPolicy, { url: hop.url, headers: response.headers, requestIncludesCredentials });
  const value = getHeader(response.headers, 'Cross-Origin-Resource-Policy');
  const decision: CorpDecision = {
    kind: 'corp',
    result: check.result === 'blocked' ? 'blocked' : 'passed',
    facts: {
      hop: hopRef(req),
      value,
      policy: check.policy,
      requestOrigin: req.origin,
      responseOrigin: hop.url.origin,
      embedderPolicy: embedderPolicy.value,
      status: response.status,
    },
    anchor: ANCHOR.crossOriginResourcePolicyCheck,
  };
  if (check.result === 'blocked') return run.error(decision);
  if (value !== null || check.policy !== null) run.step(decision);
  return null;
}

/**
 * Main fetch's response checks once the fetch is done (its last hop): blocked due to its MIME
 * type (a script-like destination and an audio, image, video or text/csv type), then due to
 * nosniff. The decision that blocks it, or null.
 */
function responseBlocking(req: ModelRequest, response: NetworkResponse): Decision | null {
  const recipe = currentHop(req).response.actual;
  const essence = responseMimeEssence({ headers: response.headers, asset: recipe.asset ?? null, omitContentType: recipe.omitContentType === true });
  const destination = req.destination;
  if (essence !== null && blockedDueToMimeType(essence, destination)) {
    return { kind: 'mime-blocking', result: 'mime-type', facts: { destination, essence }, anchor: ANCHOR.blockedDueToMimeType };
  }
  if (blockedDueToNosniff(response.headers, essence, destination)) {
    return { kind: 'mime-blocking', result: 'nosniff', facts: { destination, essence }, anchor: ANCHOR.blockedDueToNosniff };
  }
  return null;
}

// --- CORS-preflight fetch (§4.8) -----------------------------------------------------------------

/** No preflight recipe: the fixture has no preflight handling and answers 404 without CORS headers. */
const NO_PREFLIGHT_HANDLING: ResponseRecipe = { status: 404, headers: [] };

export interface PreflightCheck {
  ok: boolean;
  /** The decisions in order; when not ok, the last one is the failure. */
  decisions: Decision[];
  /** What the answer allows, for the preflight cache. */
  methods: string[];
  headerNames: string[];
}

/** The preflight's answer, and the request it was sent for. */
export interface PreflightExchange {
  /** The answer's status and headers. */
  status: number;
  headers: HeaderList;
  /** The request's serialized origin, credentials mode, method and headers. */
  serializedOrigin: string;
  credentials: Credentials;
  method: string;
  requestHeaders: HeaderList;
  /** false: the server has no preflight handling (the fixture's 404 without CORS headers). */
  handled?: boolean;
}

/**
 * The checks a CORS-preflight response must pass (§4.8 steps after the fetch): the CORS
 * check, an ok status, Access-Control-Allow-Methods and -Headers that parse and allow the
 * request's method and CORS-unsafe header names (Authorization only when listed literally;
 * `*` only without credentials mode "include").
 */
export function corsPreflightCheck(exchange: PreflightExchange): PreflightCheck {
  const { headers, status, serializedOrigin, credentials, method, requestHeaders, handled = true } = exchange;
  const include = credentials === 'include';
  const decisions: Decision[] = [];
  const fail = (d: Decision): PreflightCheck => ({ ok: false, decisions: [...decisions, d], methods: [], headerNames: [] });
  const check = corsCheck(headers, serializedOrigin, credentials, { stage: 'preflight', status, handled });
  if (!check.ok) return fail(check.decision);
  if (!isOkStatus(status)) {
    return fail({ kind: 'preflight', result: 'status-not-ok', facts: { status, redirect: isRedirectStatus(status) }, anchor: ANCHOR.okStatus });
  }
  decisions.push({ kind: 'preflight', result: 'passed-check', facts: { status, check: check.decision }, anchor: ANCHOR.corsPreflightFetch });

  const methods = extractTokenListValues(headers, 'Access-Control-Allow-Methods');
  const headerNames = extractTokenListValues(headers, 'Access-Control-Allow-Headers');
  if (methods === FAILURE) {
    return fail({
      kind: 'allow-methods',
      result: 'unparsable',
      facts: { value: getHeader(headers, 'Access-Control-Allow-Methods') ?? '' },
      anchor: ANCHOR.extractHeaderListValues,
    });
  }
  if (headerNames === FAILURE) {
    return fail({
      kind: 'allow-headers',
      result: 'unparsable',
      facts: { value: getHeader(headers, 'Access-Control-Allow-Headers') ?? '' },
      anchor: ANCHOR.extractHeaderListValues,
    });
  }
  const methodList = methods ?? [];
  const nameList = headerNames ?? [];

  if (methodList.includes(method)) {
    decisions.push({ kind: 'allow-methods', result: 'listed', facts: { method }, anchor: ANCHOR.corsPreflightFetch });
  } else if (isCorsSafelistedMethod(method)) {
    decisions.push({ kind: 'allow-methods', result: 'safelisted', facts: { method }, anchor: ANCHOR.corsSafelistedMethod });
  } else if (!include && methodList.includes('*')) {
    decisions.push({ kind: 'allow-methods', result: 'wildcard', facts: { method }, anchor: ANCHOR.corsPreflightFetch });
  } else {
    return fail({
      kind: 'allow-methods',
      result: 'not-allowed',
      facts: {
        method,
        allowed: methods,
        wildcardWithCredentials: include && methodList.includes('*'),
        caseMismatch: methodList.some((m) => m !== method && byteCaseInsensitiveEqual(m, method)),
      },
      anchor: ANCHOR.corsPreflightFetch,
    });
  }

  const hasNonWildcard = requestHeaders.some(([n]) => isCorsNonWildcardRequestHeaderName(n));
  if (hasNonWildcard) {
    if (!nameList.some((item) => isCorsNonWildcardRequestHeaderName(item))) {
      return fail({
        kind: 'allow-headers',
        result: 'authorization-not-listed',
        facts: { allowed: headerNames, wildcard: nameList.includes('*') },
        anchor: ANCHOR.corsNonWildcardRequestHeaderName,
      });
    }
    decisions.push({ kind: 'allow-headers', result: 'authorization-listed', facts: {}, anchor: ANCHOR.corsNonWildcardRequestHeaderName });
  }
  const unsafeNames = corsUnsafeRequestHeaderNames(requestHeaders);
  for (const unsafeName of unsafeNames) {
    const listed = nameList.some((item) => byteCaseInsensitiveEqual(item, unsafeName));
    if (!listed && (include || !nameList.includes('*'))) {
      return fail({
        kind: 'allow-headers',
        result: 'not-allowed',
        facts: { name: unsafeName, allowed: headerNames, wildcardWithCredentials: include && nameList.includes('*') },
        anchor: ANCHOR.corsPreflightFetch,
      });
    }
  }
  if (unsafeNames.length > 0) {
    decisions.push({ kind: 'allow-headers', result: 'all-allowed', facts: { names: unsafeNames }, anchor: ANCHOR.corsPreflightFetch });
  }
  return { ok: true, decisions, methods: methodList, headerNames: nameList };
}

function corsPreflightFetch(run: Run, req: ModelRequest): NetworkResponse | NetworkError {
  const unsafeNames = corsUnsafeRequestHeaderNames(req.headers);
  run.preflights++;
  // A CORS-preflight request is CORS-tainted and never carries credentials.
  run.firstPreflight ??= { origin: serializeRequestOrigin(req), credentials: false };
  run.step({ kind: 'preflight', result: 'sent', facts: { hop: hopRef(req), method: req.method, headerNames: unsafeNames }, anchor: ANCHOR.corsPreflightFetch });

  const recipe: ResponseRecipe = currentHop(req).response.preflight ?? NO_PREFLIGHT_HANDLING;
  const headers = receivedHeaders(recipe, []);
  const check = corsPreflightCheck({
    status: recipe.status,
    headers,
    serializedOrigin: serializeRequestOrigin(req),
    credentials: req.credentials,
    method: req.method,
    requestHeaders: req.headers,
    handled: recipe !== NO_PREFLIGHT_HANDLING,
  });
  const last = check.decisions.at(-1);
  for (const d of check.ok ? check.decisions : check.decisions.slice(0, -1)) run.step(d);
  if (!check.ok && last) return run.error(last);

  const maxAge = parseMaxAge(headers, run.options.maxAgeLimitSeconds);
  run.step({ kind: 'preflight', result: 'cache-entry', facts: { maxAge }, anchor: ANCHOR.corsPreflightCache });
  run.cache.store(cacheKey(req), check.methods, check.headerNames, maxAge.seconds, run.nowMs);
  return { kind: 'response', type: 'cors', status: recipe.status, headers };
}

// --- HTTP-redirect fetch (§4.5) ------------------------------------------------------------------

function httpRedirectFetch(run: Run, req: ModelRequest, recipe: ResponseRecipe): FetchResult {
  const hop = currentHop(req);
  const locationLines = headerValues(recipe.headers, 'Location').length + (recipe.redirect ? 1 : 0);
  if (locationLines === 0) {
    run.step({ kind: 'redirect', result: 'no-location', facts: { status: recipe.status }, anchor: ANCHOR.locationUrl });
    return { kind: 'response', type: req.tainting, status: recipe.status, headers: receivedHeaders(recipe, run.options.implicitResponseHeaders ?? []) };
  }
  if (locationLines > 1) {
    return run.error({ kind: 'redirect', result: 'several-locations', facts: { count: locationLines }, anchor: ANCHOR.locationUrl });
  }
  if (!recipe.redirect) {
    const raw = headerValues(recipe.headers, 'Location')[0] ?? '';
    let parsed: URL;
    try {
      parsed = new URL(raw, hop.url);
    } catch {
      return run.error({ kind: 'redirect', result: 'location-unparsable', facts: { value: raw, source: 'header' }, anchor: ANCHOR.locationUrl });
    }
    if (!isHttpScheme(parsed)) {
      return run.error({ kind: 'redirect', result: 'location-not-http', facts: { scheme: parsed.protocol }, anchor: ANCHOR.httpRedirectFetch });
    }
    throw new OracleCaseError(`response.actual has a Location header line without a redirect recipe; describe the next hop in response.actual.redirect`);
  }

  const { to, next } = recipe.redirect;
  let location: URL;
  try {
    location = redirectTarget(hop.url, recipe.redirect);
  } catch {
    return run.error({ kind: 'redirect', result: 'location-unparsable', facts: { value: to, source: 'recipe' }, anchor: ANCHOR.locationUrl });
  }
  if (!isHttpScheme(location)) {
    return run.error({ kind: 'redirect', result: 'location-not-http', facts: { scheme: location.protocol }, anchor: ANCHOR.httpRedirectFetch });
  }
  if (req.redirectCount === REDIRECT_LIMIT) {
    return run.error({ kind: 'redirect', result: 'too-many', facts: { limit: REDIRECT_LIMIT }, anchor: ANCHOR.httpRedirectFetch });
  }
  req.redirectCount++;
  const includesCredentials = location.username !== '' || location.password !== '';
  if (req.mode === 'cors' && includesCredentials && req.origin !== location.origin) {
    return run.error({ kind: 'redirect', result: 'userinfo-cross-origin', facts: { location: location.origin }, anchor: ANCHOR.httpRedirectFetch });
  }
  if (req.tainting === 'cors' && includesCredentials) {
    return run.error({ kind: 'redirect', result: 'userinfo-cors-tainting', facts: {}, anchor: ANCHOR.httpRedirectFetch });
  }

  const status = recipe.status;
  if (((status === 301 || status === 302) && req.method === 'POST') || (status === 303 && req.method !== 'GET' && req.method !== 'HEAD')) {
    const removed = req.headers.filter(([n]) => isRequestBodyHeaderName(n)).map(([n]) => n);
    run.step({ kind: 'redirect', result: 'method-to-get', facts: { status, method: req.method, removedHeaders: removed }, anchor: ANCHOR.httpRedirectFetch });
    req.method = 'GET';
    req.headers = req.headers.filter(([n]) => !isRequestBodyHeaderName(n));
  }
  if (hop.url.origin !== location.origin && req.headers.some(([n]) => isCorsNonWildcardRequestHeaderName(n))) {
    req.headers = req.headers.filter(([n]) => !isCorsNonWildcardRequestHeaderName(n));
    run.step({ kind: 'redirect', result: 'authorization-removed', facts: { from: hop.url.origin, to: location.origin }, anchor: ANCHOR.httpRedirectFetch });
  }

  const index = req.urlList.length;
  req.urlList.push({ url: location, cacheUrl: `${location.href} [redirect ${index}]`, response: next });
  const tainted = req.origin !== null && !redirectTaintIsSameOrigin(req);
  run.step({
    kind: 'redirect',
    result: 'followed',
    facts: { status, to: location.origin, tainted },
    anchor: tainted ? ANCHOR.serializingRequestOrigin : ANCHOR.httpRedirectFetch,
  });
  return mainFetch(run, req);
}

// --- One fetch() call, and the case with its prior requests ---------------------------------------

/**
 * What the server sees of the measured request, as the reference run's wire log reads it: the
 * Origin of its last actual request, or of its first CORS-preflight request when no actual one
 * went out (or the last one carried none), and whether that last actual request included
 * credentials. Empty when nothing was sent.
 */
function wireOf(run: Run): { wire?: WireRequest } {
  if (run.lastActual === null && run.firstPreflight === null) return {};
  return { wire: { origin: run.lastActual?.origin ?? run.firstPreflight?.origin ?? null, credentials: run.lastActual?.credentials ?? false } };
}

/** One fetch() call (or an initiator's fetch) through the model, before the initiator's own
 *  rules for what the page observes. */
interface CallOutcome {
  /** The measured request on the wire (wireOf); absent when nothing was sent. */
  wire?: WireRequest;
  outcome: SpecOutcome;
  preflight: boolean;
  reason: Decision;
  decisions: Decision[];
  readable?: string[];
  /** Actual requests sent (a beacon's outcome). */
  actualSent: number;
  /** Blocked by a network error of the fetch (not by the page's own call throwing). */
  networkError: boolean;
  /** The response the fetch delivered, for an initiator's own rules. */
  delivered?: DeliveredResponse;
}

/** An initiator other than fetch(), with the request its standard derives. */
interface InitiatorPlan {
  initiator: Initiator;
  derived: DerivedRequest;
}

interface BuiltRequest {
  method: string;
  headers: Header[];
  decisions: Decision[];
}

/**
 * The page's call, turned into the request's method and headers: fetch()'s Request
 * constructor, XMLHttpRequest's open()/setRequestHeader()/send(), or for every other initiator
 * the request its standard builds (its one method, and the headers the user agent sets). A
 * decision instead when the call throws before anything is sent.
 */
function buildRequest(request: CaseRequest, call: FetchCall, plan: InitiatorPlan | undefined): BuiltRequest | { blocked: Decision; decisions: Decision[] } {
  if (plan === undefined || plan.derived.page.modeAndCredentials) {
    const built = constructRequest({ url: request.url, method: call.method, headers: call.headers, body: call.body, mode: request.mode });
    return built.ok ? built : { blocked: built.decision, decisions: built.decisions };
  }
  if (plan.initiator.kind === 'xhr') {
    const built = xhrRequest(call.method, call.headers, call.body);
    return built.ok ? built : { blocked: built.decision, decisions: built.decisions };
  }
  return { method: plan.derived.method ?? call.method, headers: [...plan.derived.userAgentHeaders], decisions: [] };
}

interface FetchCall {
  method: string;
  headers: readonly Header[];
  body: string | null | undefined;
  credentials: Credentials;
}

/** The step that says the user agent's own Accept (fetch, before main fetch) is what takes the
 *  CORS-safelisted values past 1,024 bytes; null where it changes nothing the CORS protocol sees. */
function userAgentAcceptStep(before: HeaderList, after: HeaderList): Decision | null {
  // Only the appended Accept can be the `accept` among the unsafe names: the list had none.
  if (after.length === before.length || !corsUnsafeRequestHeaderNames(after).includes('accept')) return null;
  const value = getHeader(after, 'Accept') ?? '';
  const total = after.filter(([n, v]) => isCorsSafelistedRequestHeader(n, v)).reduce((sum, [, v]) => sum + v.length, 0);
  return { kind: 'request', result: 'user-agent-accept', facts: { value, total }, anchor: ANCHOR.fetch };
}

/** The origin of the document that makes the request; null for an opaque-origin one. */
function documentOrigin(request: CaseRequest): string | null {
  if (request.page.opaque) return null;
  return new URL(request.page.origin).origin;
}

/** The step that says the request comes from an opaque-origin document (its origin serializes
 *  as "null"); none from a page on its own origin. */
function opaqueOriginStep(request: CaseRequest): Decision | null {
  const document = request.page.opaque;
  return document ? { kind: 'request', result: 'opaque-origin', facts: { document }, anchor: ANCHOR.serializingRequestOrigin } : null;
}

/** One measured or prior request of a case, and the state it runs in. */
interface CallContext {
  request: CaseRequest;
  response: CaseResponse;
  call: FetchCall;
  /** The CORS-preflight cache as the earlier requests left it, and the simulated clock. */
  cache: PreflightCache;
  nowMs: number;
  options: OracleOptions;
}

function runFetch({ request, response, call, cache, nowMs, options }: CallContext, plan?: InitiatorPlan): CallOutcome {
  const run = new Run(cache, nowMs, options);
  if (plan) run.decisions.push(...plan.derived.decisions);
  const origin = documentOrigin(request);
  const opaque = opaqueOriginStep(request);
  if (opaque) run.step(opaque);
  const built = buildRequest(request, call, plan);
  run.decisions.push(...built.decisions);
  if ('blocked' in built) {
    return { outcome: 'blocked', preflight: false, reason: built.blocked, decisions: run.decisions, actualSent: 0, networkError: false };
  }
  if (plan?.initiator.kind === 'beacon') {
    // sendBeacon() returns false and queues nothing when the body is over the quota.
    const quota = keepaliveQuota(call.body, 'beacon');
    if (quota) return { outcome: 'blocked', preflight: false, reason: run.step(quota), decisions: run.decisions, actualSent: 0, networkError: false };
  }

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new OracleCaseError(`request.url "${request.url}" is not an absolute URL`);
  }
  const destination = plan?.derived.destination ?? '';
  const headers = withUserAgentAccept(built.headers, destination);
  const accept = userAgentAcceptStep(built.headers, headers);
  if (accept && request.mode === 'cors') run.step(accept);
  const req: ModelRequest = {
    origin,
    urlList: [{ url, cacheUrl: url.href, response }],
    method: built.method,
    headers,
    credentials: call.credentials,
    mode: request.mode,
    redirectMode: request.redirect ?? plan?.derived.redirect ?? 'follow',
    tainting: 'basic',
    redirectCount: 0,
    destination,
    client: { prohibitsMixedSecurityContexts: prohibitsMixedSecurityContexts(request.page.origin), embedderPolicy: PAGE_EMBEDDER_POLICY },
  };
  if (plan?.initiator.kind === 'fetch-keepalive') req.keepalive = { body: call.body };

  const result = mainFetch(run, req);
  const preflight = run.preflights > 0;
  const wire = wireOf(run);
  if (result.kind === 'error') {
    return { outcome: 'blocked', preflight, reason: result.decision, decisions: run.decisions, actualSent: run.actualSent, networkError: true, ...wire };
  }
  const blockedResponse = responseBlocking(req, result);
  if (blockedResponse) {
    run.step(blockedResponse);
    return { outcome: 'blocked', preflight, reason: blockedResponse, decisions: run.decisions, actualSent: run.actualSent, networkError: true, ...wire };
  }

  // Main fetch's last steps: the CORS-exposed header-name list, then the filtered response.
  let exposed: string[] = [];
  let reason: Decision;
  switch (result.type) {
    case 'basic':
      reason = run.decisions.find((d) => d.kind === 'main-fetch' && d.result === 'data-url') ?? {
        kind: 'main-fetch',
        result: 'basic-tainting',
        facts: {},
        anchor: ANCHOR.responseTainting,
      };
      run.step({ kind: 'filtered-response', result: 'basic', facts: {}, anchor: ANCHOR.filteredResponseBasic });
      break;
    case 'opaque':
      reason = run.step({ kind: 'filtered-response', result: 'opaque', facts: {}, anchor: ANCHOR.filteredResponseOpaque });
      break;
    case 'opaqueredirect':
      reason = { kind: 'filtered-response', result: 'opaque-redirect', facts: {}, anchor: ANCHOR.filteredResponseOpaqueRedirect };
      break;
    case 'cors': {
      const aceh = corsExposedHeaderNames(result.headers, call.credentials === 'include');
      exposed = aceh.list;
      const anchor = ANCHOR.corsExposedHeaderNameList;
      switch (aceh.source) {
        case 'absent':
          run.step({ kind: 'expose-headers', result: 'absent', facts: {}, anchor });
          break;
        case 'failure':
          run.step({ kind: 'expose-headers', result: 'unparsable', facts: {}, anchor });
          break;
        case 'wildcard':
          run.step({ kind: 'expose-headers', result: 'wildcard', facts: {}, anchor });
          break;
        case 'literal': {
          const starLiteral = call.credentials === 'include' && aceh.list.includes('*');
          run.step({ kind: 'expose-headers', result: starLiteral ? 'star-literal' : 'listed', facts: { names: aceh.list }, anchor });
          break;
        }
      }
      // The response passed the CORS check of its last hop; that check is why it is allowed.
      const lastCheck = [...run.decisions].reverse().find((d) => d.kind === 'cors-check');
      invariant(lastCheck, 'a CORS response without a CORS check step');
      reason = lastCheck;
      break;
    }
  }
  const outcome: CallOutcome = {
    outcome: 'allowed',
    preflight,
    reason,
    decisions: run.decisions,
    actualSent: run.actualSent,
    networkError: false,
    ...wire,
    delivered: {
      type: result.type,
      status: result.status,
      headers: result.headers,
      asset: currentHop(req).response.actual.asset ?? null,
      omitContentType: currentHop(req).response.actual.omitContentType === true,
      redirected: req.urlList.length > 1,
    },
  };
  if (request.readHeaders) {
    const visible = visibleResponseHeaderNames(result.type, result.headers, exposed);
    outcome.readable = request.readHeaders.filter((name) => visible.some((v) => byteCaseInsensitiveEqual(v, name)));
  }
  return outcome;
}

/** The spec model's verdict on a case as decisions, before they are put into words. */
export interface CaseDecisions {
  outcome: SpecOutcome;
  /** Whether the measured request is preceded by a CORS-preflight request. */
  preflight: boolean;
  /** The decision that settled the outcome. */
  reason: Decision;
  /** Every decision in order: one per prior request, then the measured request's. */
  decisions: Decision[];
  /** Of the case's readHeaders, those the page can read when allowed. */
  readable?: string[];
  /** For an initiator with a test of it, when allowed: whether the page can read what it loaded. */
  contentReadable?: boolean;
  /** The measured request on the wire: its Origin header and whether credentials went out;
   *  absent when the standard sends nothing. */
  wire?: WireRequest;
}

/** The measured request of a case whose initiator is not fetch(): the derived request through
 *  the fetch model, then the initiator's own rules for what the page observes. */
function runInitiator(context: CallContext, plan: InitiatorPlan): CaseDecisions {
  const { request, response } = context;
  if (plan.initiator.kind === 'websocket') return runWebSocket(request, response, plan);
  const result = runFetch(context, plan);
  const decisions = result.decisions;
  const decided = (outcome: SpecOutcome, reason: Decision): CaseDecisions => ({
    outcome,
    preflight: result.preflight,
    reason,
    decisions,
    ...(result.wire ? { wire: result.wire } : {}),
  });
  switch (plan.initiator.kind) {
    case 'fetch-keepalive': {
      const out = decided(result.outcome, result.reason);
      if (result.readable !== undefined) out.readable = result.readable;
      return out;
    }
    case 'beacon': {
      // The page sees only that sendBeacon() queued the data; what counts is whether the POST was sent.
      if (result.actualSent > 0) {
        const sent: Decision = {
          kind: 'observe',
          result: 'beacon-sent',
          facts: { mode: request.mode, preflight: result.preflight },
          anchor: ANCHOR.sendBeacon,
        };
        decisions.push(sent);
        return decided('allowed', sent);
      }
      decisions.push({ kind: 'observe', result: 'beacon-not-sent', facts: {}, anchor: ANCHOR.sendBeacon });
      return decided('blocked', result.reason);
    }
    default:
      break;
  }
  if (!result.delivered) {
    if (result.networkError) decisions.push(observeNetworkError(plan.initiator));
    return decided('blocked', result.reason);
  }
  const seen = observeResponse(plan.initiator, result.delivered);
  decisions.push(seen.decision);
  const out = decided(seen.outcome, seen.decision.result === 'loaded' ? result.reason : seen.decision);
  if (seen.outcome === 'allowed' && result.readable !== undefined) out.readable = result.readable;
  if (seen.contentReadable !== undefined) out.contentReadable = seen.contentReadable;
  return out;
}

/** A WebSocket's opening handshake: a fetch in mode "websocket", which main fetch answers with
 *  basic tainting (no CORS check), redirect mode "error", and a connection only on status 101.
 *  A case's recipe status 200 or 101 means the server accepts the upgrade (the fixture answers
 *  either with 101); any other status is the handshake's answer as it is. */
function runWebSocket(request: CaseRequest, response: CaseResponse, plan: InitiatorPlan): CaseDecisions {
  const decisions: Decision[] = [...plan.derived.decisions];
  const opaque = opaqueOriginStep(request);
  if (opaque) decisions.push(opaque);
  // The handshake's fetch is to the http(s) form of the URL, so main fetch's bad-port and
  // mixed-content checks apply to it as to any other fetch.
  const url = new URL(request.url);
  const refused = refusedBeforeFetch({ origin: url.origin, index: 0 }, url, '', prohibitsMixedSecurityContexts(request.page.origin));
  if (refused) {
    decisions.push(refused, observeNetworkError(plan.initiator));
    return { outcome: 'blocked', preflight: false, reason: refused, decisions };
  }
  // The handshake goes out in mode "websocket": it carries the serialized origin, and its
  // credentials mode is include.
  const wire: WireRequest = { origin: documentOrigin(request) ?? 'null', credentials: true };
  const status = response.actual.status;
  if (isRedirectStatus(status)) {
    const error: Decision = { kind: 'redirect', result: 'mode-error', facts: { status }, anchor: ANCHOR.httpFetch };
    decisions.push(error, observeNetworkError(plan.initiator));
    return { outcome: 'blocked', preflight: false, reason: error, decisions, wire };
  }
  const accepted = status === 101 || status === 200;
  const seen: Decision = accepted
    ? { kind: 'observe', result: 'websocket-open', facts: {}, anchor: ANCHOR.websocketEstablish }
    : { kind: 'observe', result: 'websocket-failed', facts: { status }, anchor: ANCHOR.websocketEstablish };
  decisions.push(seen);
  return { outcome: accepted ? 'allowed' : 'blocked', preflight: false, reason: seen, decisions, wire };
}

/**
 * What the Fetch standard requires for the case's measured request, as decisions. Prior
 * requests (same URL, same recipe) run first through the same model so the CORS-preflight
 * cache is in the state they leave; each advances a simulated clock by its `waitMs`, and
 * requests themselves take no time. A prior request's omitted method, headers and credentials
 * are the measured request's, and it always carries the measured body, as runner/run-cases.ts
 * sends it.
 */
export function evaluateDecisions(c: CorsCase, options: OracleOptions = {}): CaseDecisions {
  const cache = new PreflightCache();
  const decisions: Decision[] = [];
  let nowMs = 0;
  const request = c.request;
  // A case with an initiator other than fetch() asks for the request that initiator makes;
  // its prior requests are fetch() calls that fill the preflight cache, as the probe makes them.
  const initiator = request.initiator;
  const plan: InitiatorPlan | undefined =
    initiator !== undefined && initiator.kind !== 'fetch' ? { initiator, derived: checkInitiatorCase(request, initiator) } : undefined;
  for (const [i, prior] of (request.prior ?? []).entries()) {
    const call: FetchCall = {
      method: prior.method ?? request.method,
      headers: prior.headers ?? request.headers,
      body: request.body,
      credentials: prior.credentials ?? request.credentials,
    };
    const result = runFetch({ request, response: c.response, call, cache, nowMs, options });
    const facts = {
      number: i + 1,
      method: call.method,
      headerNames: call.headers.map(([n]) => n),
      credentials: call.credentials,
      preflight: result.preflight,
      waitMs: prior.waitMs,
    };
    const anchor = ANCHOR.corsPreflightCache;
    decisions.push(
      result.outcome === 'blocked'
        ? { kind: 'prior-request', result: 'blocked', facts: { ...facts, reason: result.reason }, anchor }
        : { kind: 'prior-request', result: 'allowed', facts, anchor },
    );
    nowMs += prior.waitMs;
  }
  const call: FetchCall = { method: request.method, headers: request.headers, body: request.body, credentials: request.credentials };
  const context: CallContext = { request, response: c.response, call, cache, nowMs, options };
  if (plan) {
    const measured = runInitiator(context, plan);
    return { ...measured, decisions: [...decisions, ...measured.decisions] };
  }
  const result = runFetch(context);
  decisions.push(...result.decisions);
  const decided: CaseDecisions = { outcome: result.outcome, preflight: result.preflight, reason: result.reason, decisions };
  if (result.readable !== undefined) decided.readable = result.readable;
  if (result.wire) decided.wire = result.wire;
  return decided;
}

/** What the Fetch standard requires for the case's measured request (evaluateDecisions, in words). */
export function evaluate(c: CorsCase, options: OracleOptions = {}): SpecExpectation {
  const decided = evaluateDecisions(c, options);
  const steps = decided.decisions.map(renderStep);
  const expectation: SpecExpectation = {
    outcome: decided.outcome,
    preflight: decided.preflight,
    reason: renderDecision(decided.reason),
    anchors: [...new Set(steps.map((s) => s.anchor))],
    steps,
  };
  if (decided.readable !== undefined) expectation.readable = decided.readable;
  if (decided.contentReadable !== undefined) expectation.contentReadable = decided.contentReadable;
  if (decided.wire) {
    expectation.origin = decided.wire.origin;
    expectation.credentialsSent = decided.wire.credentials;
  }
  return expectation;
}
