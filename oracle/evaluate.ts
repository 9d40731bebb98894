// The spec model: what the Fetch standard requires for one declarative case, decision by
// decision, following main fetch → HTTP fetch → CORS-preflight fetch → CORS check →
// HTTP-redirect fetch. It describes the standard, not any browser (cases/divergences.ts lists
// where the engines differ from it, e.g. `Access-Control-Allow-Headers: *` and Authorization).
import {
  redirectTarget,
  type CaseRequest,
  type CaseResponse,
  type CorsCase,
  type Credentials,
  type Header,
  type RedirectMode,
  type RequestMode,
  type ResponseRecipe,
} from '../model/case.ts';
import type { SpecExpectation, SpecStep } from '../model/results.ts';
import { ANCHOR } from './anchors.ts';
import {
  constructRequest,
  corsUnsafeRequestHeaderNames,
  isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedMethod,
  isRequestBodyHeaderName,
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
  trimOws,
  visibleResponseHeaderNames,
} from './headers.ts';
import { type CacheRequestKey, PreflightCache, parseMaxAge } from './preflight-cache.ts';

export interface OracleOptions {
  /** The user agent's "imposed limit" on max-age in seconds (§4.8); the standard sets none. */
  maxAgeLimitSeconds?: number;
  /**
   * Headers the server adds to every actual response when the recipe has no line of that name
   * (the fixture adds `Cache-Control: no-store`). They count for readable headers.
   */
  implicitResponseHeaders?: Header[];
}

/** Thrown for a case the model cannot decide, naming the field to change. */
export class OracleCaseError extends Error {}

// --- CORS check (§4.10) ----------------------------------------------------------------------

export interface CorsCheckResult {
  ok: boolean;
  decision: string;
}

/**
 * "CORS check": "get" Access-Control-Allow-Origin (several lines combine with ", ", so they
 * always fail); `*` passes only without credentials mode "include"; otherwise the value must
 * equal the byte-serialized request origin, and with "include" ACAC must be exactly `true`.
 */
export function corsCheck(responseHeaders: HeaderList, serializedOrigin: string, credentials: Credentials): CorsCheckResult {
  const include = credentials === 'include';
  const origin = getHeader(responseHeaders, 'Access-Control-Allow-Origin');
  if (origin === null) {
    return { ok: false, decision: 'Access-Control-Allow-Origin is absent, so the CORS check fails.' };
  }
  if (!include && origin === '*') {
    return { ok: true, decision: 'Access-Control-Allow-Origin is * and the credentials mode is not include, so the CORS check passes.' };
  }
  if (origin !== serializedOrigin) {
    const lines = headerValues(responseHeaders, 'Access-Control-Allow-Origin').length;
    const why =
      lines > 1
        ? `${lines} Access-Control-Allow-Origin lines combine to "${origin}", which can never equal the request origin "${serializedOrigin}"`
        : origin === '*'
          ? `Access-Control-Allow-Origin * is not a wildcard when the credentials mode is include, and it is not the request origin "${serializedOrigin}"`
          : `Access-Control-Allow-Origin "${origin}" is not byte-for-byte the serialized request origin "${serializedOrigin}"`;
    return { ok: false, decision: `${why}, so the CORS check fails.` };
  }
  if (!include) {
    return { ok: true, decision: `Access-Control-Allow-Origin equals the request origin "${serializedOrigin}", so the CORS check passes.` };
  }
  const acac = getHeader(responseHeaders, 'Access-Control-Allow-Credentials');
  if (acac !== 'true') {
    const seen = acac === null ? 'absent' : `"${acac}"`;
    return {
      ok: false,
      decision: `With credentials mode include, Access-Control-Allow-Credentials must be exactly "true" but is ${seen}, so the CORS check fails.`,
    };
  }
  return {
    ok: true,
    decision: `Access-Control-Allow-Origin equals "${serializedOrigin}" and Access-Control-Allow-Credentials is true, so the credentialed CORS check passes.`,
  };
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
}

interface NetworkResponse {
  kind: 'response';
  type: ResponseType;
  status: number;
  headers: Header[];
}

interface NetworkError {
  kind: 'error';
  step: SpecStep;
}

type FetchResult = NetworkResponse | NetworkError;

class Run {
  readonly steps: SpecStep[] = [];
  preflights = 0;
  constructor(
    readonly cache: PreflightCache,
    readonly nowMs: number,
    readonly options: OracleOptions,
  ) {}

  step(decision: string, anchor: string): SpecStep {
    const s = { decision, anchor };
    this.steps.push(s);
    return s;
  }

  error(decision: string, anchor: string): NetworkError {
    return { kind: 'error', step: this.step(decision, anchor) };
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

function hopLabel(req: ModelRequest): string {
  const index = req.urlList.length - 1;
  return index === 0 ? currentHop(req).url.origin : `${currentHop(req).url.origin} (after redirect ${index})`;
}

// --- Main fetch (§4.1) ------------------------------------------------------------------------

function mainFetch(run: Run, req: ModelRequest): FetchResult {
  const hop = currentHop(req);
  if (req.origin !== null && hop.url.origin === req.origin && req.tainting === 'basic') {
    run.step(
      `${hopLabel(req)} is same origin with the request's origin, so response tainting is basic and the CORS protocol does not apply.`,
      ANCHOR.mainFetch,
    );
    return httpFetch(run, req, false);
  }
  if (req.mode === 'same-origin') {
    return run.error(`Mode same-origin with a cross-origin URL (${hop.url.origin}) is a network error.`, ANCHOR.mainFetch);
  }
  if (req.mode === 'no-cors') {
    if (req.redirectMode !== 'follow') {
      return run.error(`Mode no-cors requires redirect mode follow, not ${req.redirectMode}, so main fetch returns a network error.`, ANCHOR.mainFetch);
    }
    req.tainting = 'opaque';
    run.step(`Mode no-cors to ${hopLabel(req)}: response tainting is opaque and no preflight is ever made.`, ANCHOR.mainFetch);
    return httpFetch(run, req, false);
  }
  if (!isHttpScheme(hop.url)) {
    return run.error(`${hop.url.protocol} is not an HTTP(S) scheme, so main fetch returns a network error.`, ANCHOR.mainFetch);
  }
  req.tainting = 'cors';
  const unsafeNames = corsUnsafeRequestHeaderNames(req.headers);
  const methodUnsafe = !isCorsSafelistedMethod(req.method);
  if (methodUnsafe || unsafeNames.length > 0) {
    const why = [
      methodUnsafe ? `method ${req.method} (not a CORS-safelisted method)` : '',
      unsafeNames.length > 0 ? `the CORS-unsafe request-header names ${unsafeNames.join(',')}` : '',
    ].filter(Boolean);
    run.step(
      `Cross-origin request to ${hopLabel(req)} with ${why.join(' and ')}: a CORS request that needs a preflight unless the cache covers it.`,
      methodUnsafe ? ANCHOR.corsSafelistedMethod : ANCHOR.corsUnsafeRequestHeaderNames,
    );
    const response = httpFetch(run, req, true);
    if (response.kind === 'error') {
      const removed = run.cache.clear(cacheKey(req));
      if (removed > 0) run.step(`The network error clears ${removed} preflight cache entries for this origin and URL.`, ANCHOR.clearCacheEntries);
    }
    return response;
  }
  run.step(
    `Cross-origin request to ${hopLabel(req)} with a CORS-safelisted method and only CORS-safelisted headers: a CORS request without preflight.`,
    ANCHOR.mainFetch,
  );
  return httpFetch(run, req, false);
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
      run.step(
        'The CORS-preflight cache has a method cache entry match and a header-name cache entry match for everything that needs one, so no preflight is sent.',
        ANCHOR.methodCacheEntryMatch,
      );
    }
  }

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
    const check = corsCheck(response.headers, serializeRequestOrigin(req), req.credentials);
    const what = isRedirectStatus(recipe.status)
      ? `The ${recipe.status} redirect response from ${hopLabel(req)}`
      : `The ${recipe.status} response from ${hopLabel(req)}`;
    if (!check.ok) return run.error(`${what}: ${check.decision}`, ANCHOR.corsCheck);
    run.step(`${what}: ${check.decision}`, ANCHOR.corsCheck);
  }

  if (isRedirectStatus(recipe.status)) {
    switch (req.redirectMode) {
      case 'error':
        return run.error(`Redirect mode error turns the ${recipe.status} response into a network error.`, ANCHOR.httpFetch);
      case 'manual':
        run.step(
          `Redirect mode manual: the ${recipe.status} response becomes an opaque-redirect filtered response (status 0, no headers).`,
          ANCHOR.filteredResponseOpaqueRedirect,
        );
        return { ...response, type: 'opaqueredirect' };
      case 'follow':
        return httpRedirectFetch(run, req, recipe);
    }
  }
  return response;
}

// --- CORS-preflight fetch (§4.8) -----------------------------------------------------------------

function corsPreflightFetch(run: Run, req: ModelRequest): NetworkResponse | NetworkError {
  const hop = currentHop(req);
  const include = req.credentials === 'include';
  const unsafeNames = corsUnsafeRequestHeaderNames(req.headers);
  run.preflights++;
  run.step(
    `A CORS-preflight request is sent to ${hopLabel(req)}: OPTIONS with Access-Control-Request-Method: ${req.method}` +
      (unsafeNames.length > 0 ? ` and Access-Control-Request-Headers: ${unsafeNames.join(',')}.` : '.'),
    ANCHOR.corsPreflightFetch,
  );

  // No preflight recipe: the fixture has no preflight handling and answers 404 without CORS headers.
  const recipe: ResponseRecipe = hop.response.preflight ?? { status: 404, headers: [] };
  const headers = receivedHeaders(recipe, []);
  const check = corsCheck(headers, serializeRequestOrigin(req), req.credentials);
  const what = hop.response.preflight ? 'The preflight response' : 'The preflight response (404: the server has no preflight handling)';
  if (!check.ok) return run.error(`${what}: ${check.decision}`, ANCHOR.corsCheck);
  if (!isOkStatus(recipe.status)) {
    const note = isRedirectStatus(recipe.status) ? '; a redirected preflight is never followed' : '';
    return run.error(`The preflight response status ${recipe.status} is not an ok status (200-299)${note}, so the preflight fails.`, ANCHOR.okStatus);
  }
  run.step(`The preflight response has an ok status (${recipe.status}); ${check.decision}`, ANCHOR.corsPreflightFetch);

  const methods = extractTokenListValues(headers, 'Access-Control-Allow-Methods');
  const headerNames = extractTokenListValues(headers, 'Access-Control-Allow-Headers');
  if (methods === FAILURE) {
    return run.error(
      `Access-Control-Allow-Methods "${getHeader(headers, 'Access-Control-Allow-Methods') ?? ''}" does not parse as a list of methods, so the preflight fails.`,
      ANCHOR.extractHeaderListValues,
    );
  }
  if (headerNames === FAILURE) {
    return run.error(
      `Access-Control-Allow-Headers "${getHeader(headers, 'Access-Control-Allow-Headers') ?? ''}" does not parse as a list of header names, so the preflight fails.`,
      ANCHOR.extractHeaderListValues,
    );
  }
  const methodList = methods ?? [];
  const nameList = headerNames ?? [];

  if (methodList.includes(req.method)) {
    run.step(`Access-Control-Allow-Methods lists ${req.method} (a case-sensitive match).`, ANCHOR.corsPreflightFetch);
  } else if (isCorsSafelistedMethod(req.method)) {
    run.step(`${req.method} is a CORS-safelisted method, so it needs no Access-Control-Allow-Methods entry.`, ANCHOR.corsSafelistedMethod);
  } else if (!include && methodList.includes('*')) {
    run.step(`Access-Control-Allow-Methods * allows ${req.method} because the credentials mode is not include.`, ANCHOR.corsPreflightFetch);
  } else {
    const seen = methods === null ? 'is absent' : `is "${methodList.join(', ')}"`;
    const why =
      include && methodList.includes('*')
        ? ' (* is only a wildcard without credentials mode include)'
        : methodList.some((m) => m !== req.method && byteCaseInsensitiveEqual(m, req.method))
          ? ' (method names match case-sensitively)'
          : '';
    return run.error(`Method ${req.method} is not allowed: Access-Control-Allow-Methods ${seen}${why}.`, ANCHOR.corsPreflightFetch);
  }

  const hasNonWildcard = req.headers.some(([n]) => isCorsNonWildcardRequestHeaderName(n));
  if (hasNonWildcard) {
    if (!nameList.some((item) => isCorsNonWildcardRequestHeaderName(item))) {
      const star = nameList.includes('*') ? ' (a * never covers Authorization, the CORS non-wildcard request-header name)' : '';
      return run.error(
        `The request has Authorization but Access-Control-Allow-Headers does not list it literally${star}, so the preflight fails.`,
        ANCHOR.corsNonWildcardRequestHeaderName,
      );
    }
    run.step(
      'Access-Control-Allow-Headers lists Authorization literally, as the CORS non-wildcard request-header name requires.',
      ANCHOR.corsNonWildcardRequestHeaderName,
    );
  }
  for (const unsafeName of unsafeNames) {
    const listed = nameList.some((item) => byteCaseInsensitiveEqual(item, unsafeName));
    if (!listed && (include || !nameList.includes('*'))) {
      const why = include && nameList.includes('*') ? ' (* is only a wildcard without credentials mode include)' : '';
      return run.error(
        `Request header ${unsafeName} is not allowed by Access-Control-Allow-Headers${headerNames === null ? ' (absent)' : ` "${nameList.join(', ')}"`}${why}.`,
        ANCHOR.corsPreflightFetch,
      );
    }
  }
  if (unsafeNames.length > 0) {
    run.step(`Access-Control-Allow-Headers allows every CORS-unsafe request-header name (${unsafeNames.join(',')}).`, ANCHOR.corsPreflightFetch);
  }

  const maxAge = parseMaxAge(headers, run.options.maxAgeLimitSeconds);
  const ageWhy =
    maxAge.source === 'header'
      ? `Access-Control-Max-Age gives ${maxAge.seconds} s`
      : maxAge.source === 'absent'
        ? 'Access-Control-Max-Age is absent, so max-age defaults to 5 s'
        : 'Access-Control-Max-Age fails to parse as delta-seconds (or repeats), so max-age defaults to 5 s';
  run.step(
    `${ageWhy}${maxAge.limited ? ', lowered to the imposed limit' : ''}; the allowed methods and header names are cached with it.`,
    ANCHOR.corsPreflightCache,
  );
  run.cache.store(cacheKey(req), methodList, nameList, maxAge.seconds, run.nowMs);
  return { kind: 'response', type: 'cors', status: recipe.status, headers };
}

// --- HTTP-redirect fetch (§4.5) ------------------------------------------------------------------

function httpRedirectFetch(run: Run, req: ModelRequest, recipe: ResponseRecipe): FetchResult {
  const hop = currentHop(req);
  const locationLines = headerValues(recipe.headers, 'Location').length + (recipe.redirect ? 1 : 0);
  if (locationLines === 0) {
    run.step(`The ${recipe.status} response has no Location, so its location URL is null and it is the final response.`, ANCHOR.locationUrl);
    return { kind: 'response', type: req.tainting, status: recipe.status, headers: receivedHeaders(recipe, run.options.implicitResponseHeaders ?? []) };
  }
  if (locationLines > 1) {
    return run.error(
      'The redirect carries more than one Location header, so its location URL is failure and the fetch is a network error.',
      ANCHOR.locationUrl,
    );
  }
  if (!recipe.redirect) {
    const raw = headerValues(recipe.headers, 'Location')[0] ?? '';
    let parsed: URL;
    try {
      parsed = new URL(raw, hop.url);
    } catch {
      return run.error(`Location "${raw}" does not parse as a URL, so the redirect is a network error.`, ANCHOR.locationUrl);
    }
    if (!isHttpScheme(parsed)) {
      return run.error(`Location uses ${parsed.protocol}, not an HTTP(S) scheme, so the redirect is a network error.`, ANCHOR.httpRedirectFetch);
    }
    throw new OracleCaseError(`response.actual has a Location header line without a redirect recipe; describe the next hop in response.actual.redirect`);
  }

  const { to, next } = recipe.redirect;
  let location: URL;
  try {
    location = redirectTarget(hop.url, recipe.redirect);
  } catch {
    return run.error(`Location (redirect.to "${to}") does not parse as a URL, so the redirect is a network error.`, ANCHOR.locationUrl);
  }
  if (!isHttpScheme(location)) {
    return run.error(`Location uses ${location.protocol}, not an HTTP(S) scheme, so the redirect is a network error.`, ANCHOR.httpRedirectFetch);
  }
  if (req.redirectCount === 20) {
    return run.error('This would be redirect number 21; after 20 redirects HTTP-redirect fetch returns a network error.', ANCHOR.httpRedirectFetch);
  }
  req.redirectCount++;
  const includesCredentials = location.username !== '' || location.password !== '';
  if (req.mode === 'cors' && includesCredentials && req.origin !== location.origin) {
    return run.error(
      `Mode cors and the Location ${location.origin} includes credentials (userinfo) and is cross-origin to the request's origin, so the redirect is a network error.`,
      ANCHOR.httpRedirectFetch,
    );
  }
  if (req.tainting === 'cors' && includesCredentials) {
    return run.error(
      'Response tainting is cors and the Location includes credentials (userinfo), so the redirect is a network error.',
      ANCHOR.httpRedirectFetch,
    );
  }

  const status = recipe.status;
  if (((status === 301 || status === 302) && req.method === 'POST') || (status === 303 && req.method !== 'GET' && req.method !== 'HEAD')) {
    const removed = req.headers.filter(([n]) => isRequestBodyHeaderName(n)).map(([n]) => n);
    run.step(
      `The ${status} redirect turns ${req.method} into GET without a body` +
        (removed.length > 0 ? ` and removes the request-body headers ${removed.join(', ')}.` : '.'),
      ANCHOR.httpRedirectFetch,
    );
    req.method = 'GET';
    req.headers = req.headers.filter(([n]) => !isRequestBodyHeaderName(n));
  }
  if (hop.url.origin !== location.origin && req.headers.some(([n]) => isCorsNonWildcardRequestHeaderName(n))) {
    req.headers = req.headers.filter(([n]) => !isCorsNonWildcardRequestHeaderName(n));
    run.step('The redirect goes to another origin, so the Authorization header is removed.', ANCHOR.httpRedirectFetch);
  }

  const index = req.urlList.length;
  req.urlList.push({ url: location, cacheUrl: `${location.href} [redirect ${index}]`, response: next });
  const tainted = req.origin !== null && !redirectTaintIsSameOrigin(req);
  run.step(
    `The ${status} response redirects to ${location.origin}; main fetch runs again for it` +
      (tainted ? ', and the request is now redirect-tainted, so its origin serializes as "null".' : '.'),
    tainted ? ANCHOR.serializingRequestOrigin : ANCHOR.httpRedirectFetch,
  );
  return mainFetch(run, req);
}

// --- One fetch() call, and the case with its prior requests ---------------------------------------

interface FetchOutcome {
  outcome: 'allowed' | 'blocked';
  preflight: boolean;
  reason: string;
  steps: SpecStep[];
  readable?: string[];
}

interface FetchCall {
  method: string;
  headers: readonly Header[];
  body: string | null | undefined;
  credentials: Credentials;
}

function pageOrigin(request: CaseRequest): string | null {
  if (request.page.opaque) return null;
  return new URL(request.page.origin).origin;
}

function runFetch(request: CaseRequest, response: CaseResponse, call: FetchCall, cache: PreflightCache, nowMs: number, options: OracleOptions): FetchOutcome {
  const run = new Run(cache, nowMs, options);
  const origin = pageOrigin(request);
  if (origin === null) {
    run.step(
      `The fetch runs in an opaque-origin document (${request.page.opaque ?? ''}), so its origin serializes as "null".`,
      ANCHOR.serializingRequestOrigin,
    );
  }
  const built = constructRequest({ method: call.method, headers: call.headers, body: call.body, mode: request.mode });
  run.steps.push(...built.steps);
  if (!built.ok) {
    return { outcome: 'blocked', preflight: false, reason: built.step.decision, steps: run.steps };
  }

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new OracleCaseError(`request.url "${request.url}" is not an absolute URL`);
  }
  const req: ModelRequest = {
    origin,
    urlList: [{ url, cacheUrl: url.href, response }],
    method: built.method,
    headers: built.headers,
    credentials: call.credentials,
    mode: request.mode,
    redirectMode: request.redirect ?? 'follow',
    tainting: 'basic',
    redirectCount: 0,
  };

  const result = mainFetch(run, req);
  const preflight = run.preflights > 0;
  if (result.kind === 'error') {
    return { outcome: 'blocked', preflight, reason: result.step.decision, steps: run.steps };
  }

  // Main fetch's last steps: the CORS-exposed header-name list, then the filtered response.
  let exposed: string[] = [];
  let reason: string;
  switch (result.type) {
    case 'basic':
      reason = 'The request is same-origin, so it uses basic tainting and the CORS protocol does not apply.';
      run.step('The page gets a basic filtered response: every header except Set-Cookie and Set-Cookie2 is readable.', ANCHOR.filteredResponseBasic);
      break;
    case 'opaque':
      reason = 'Mode no-cors resolves with an opaque filtered response: status 0, no headers, no body.';
      run.step(reason, ANCHOR.filteredResponseOpaque);
      break;
    case 'opaqueredirect':
      reason = 'Redirect mode manual resolves with an opaque-redirect filtered response: status 0, no headers.';
      break;
    case 'cors': {
      const aceh = corsExposedHeaderNames(result.headers, call.credentials === 'include');
      exposed = aceh.list;
      const acehWhy = {
        absent: 'There is no Access-Control-Expose-Headers, so only the CORS-safelisted response-header names are readable.',
        failure: 'Access-Control-Expose-Headers does not parse as a list of header names, so only the CORS-safelisted response-header names are readable.',
        wildcard:
          'Access-Control-Expose-Headers * exposes every header name in the response (credentials mode is not include), except Set-Cookie and Set-Cookie2.',
        literal:
          call.credentials === 'include' && aceh.list.includes('*')
            ? `Access-Control-Expose-Headers "${aceh.list.join(', ')}" is taken literally because the credentials mode is include, so * only matches a header named *.`
            : `Access-Control-Expose-Headers exposes ${aceh.list.join(', ')} besides the CORS-safelisted response-header names.`,
      }[aceh.source];
      run.step(acehWhy, ANCHOR.corsExposedHeaderNameList);
      const lastCheck = [...run.steps].reverse().find((s) => s.anchor === ANCHOR.corsCheck);
      reason = lastCheck ? lastCheck.decision : 'The response passes the CORS check.';
      break;
    }
  }
  const outcome: FetchOutcome = { outcome: 'allowed', preflight, reason, steps: run.steps };
  if (request.readHeaders) {
    const visible = visibleResponseHeaderNames(result.type, result.headers, exposed);
    outcome.readable = request.readHeaders.filter((name) => visible.some((v) => byteCaseInsensitiveEqual(v, name)));
  }
  return outcome;
}

function describeCall(call: FetchCall): string {
  const names = call.headers.map(([n]) => n);
  return `${call.method}${names.length > 0 ? ` with ${names.join(', ')}` : ''}, credentials ${call.credentials}`;
}

/**
 * What the Fetch standard requires for the case's measured request. Prior requests (same URL,
 * same recipe) run first through the same model so the CORS-preflight cache is in the state
 * they leave; each advances a simulated clock by its `waitMs`, and requests themselves take
 * no time. A prior request's omitted method, headers and credentials are the measured
 * request's, and it always carries the measured body, as runner/run-cases.ts sends it.
 */
export function evaluate(c: CorsCase, options: OracleOptions = {}): SpecExpectation {
  const cache = new PreflightCache();
  const steps: SpecStep[] = [];
  let nowMs = 0;
  const request = c.request;
  for (const [i, prior] of (request.prior ?? []).entries()) {
    const call: FetchCall = {
      method: prior.method ?? request.method,
      headers: prior.headers ?? request.headers,
      body: request.body,
      credentials: prior.credentials ?? request.credentials,
    };
    const result = runFetch(request, c.response, call, cache, nowMs, options);
    steps.push({
      decision:
        `Prior request ${i + 1} (${describeCall(call)}) ${result.preflight ? 'sends a preflight' : 'sends no preflight'} and is ${result.outcome}` +
        `${result.outcome === 'blocked' ? ` (${result.reason.replace(/\.$/, '')})` : ''}; then ${prior.waitMs} ms pass.`,
      anchor: ANCHOR.corsPreflightCache,
    });
    nowMs += prior.waitMs;
  }
  const call: FetchCall = { method: request.method, headers: request.headers, body: request.body, credentials: request.credentials };
  const result = runFetch(request, c.response, call, cache, nowMs, options);
  steps.push(...result.steps);
  const expectation: SpecExpectation = {
    outcome: result.outcome,
    preflight: result.preflight,
    reason: result.reason,
    anchors: [...new Set(steps.map((s) => s.anchor))],
    steps,
  };
  if (result.readable !== undefined) expectation.readable = result.readable;
  return expectation;
}
