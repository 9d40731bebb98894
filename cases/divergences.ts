// Known divergences: where engines measurably do something other than what the Fetch
// standard requires, each with its evidence. A case one of these rules covers is an
// expected failure in the engines it names; any other difference fails the run, and so
// does a listed divergence that an engine no longer shows (update this file then).
//
// The first rule that names an engine and applies decides (runner/verdict.ts), so a rule
// whose `differences` differ by case (e.g. blocked-and-preflighted vs only preflighted)
// is written as two rules with disjoint predicates. Predicates read the case's request and
// response; where "the standard would have served this from the CORS-preflight cache"
// is the question, they ask the spec model itself (oracle/evaluate.ts), so a rule can
// never claim a divergence the model does not predict.
import type { CorsCase, Header, ResponseRecipe } from '../model/case.ts';
import { redirectTarget } from '../model/case.ts';
import type { EngineId, KnownDivergence, SpecExpectation } from '../model/results.ts';
import { constructRequest, corsUnsafeRequestHeaderNames, isCorsSafelistedMethod, isCorsSafelistedRequestHeader, needsCorsPreflight, normalizeMethod } from '../oracle/classify.ts';
import { evaluate } from '../oracle/evaluate.ts';

export interface DivergenceRule extends KnownDivergence {
  /** What differs from the spec model when the rule applies. */
  differences: Array<'outcome' | 'preflight' | 'readable'>;
  applies(c: CorsCase): boolean;
}

const ALL: EngineId[] = ['chromium', 'firefox', 'webkit'];

const SPEC = 'https://fetch.spec.whatwg.org';
const CHROMIUM = 'https://github.com/chromium/chromium/blob/main';
const GECKO = 'https://github.com/mozilla/gecko-dev/blob/master';
const WEBKIT = 'https://github.com/WebKit/WebKit/blob/main';

// --- Reading a case ----------------------------------------------------------------------------

function headerNames(c: CorsCase): string[] {
  return c.request.headers.map(([n]) => n.toLowerCase());
}

function tokens(value: string | undefined): string[] {
  return (value ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
}

function lines(headers: readonly Header[] | undefined, name: string): string[] {
  return (headers ?? []).filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

function preflightHeader(c: CorsCase, name: string): string | undefined {
  const values = lines(c.response.preflight?.headers, name);
  return values.length ? values.join(', ') : undefined;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The page's origin, or null for an opaque-origin document. */
function pageOrigin(c: CorsCase): string | null {
  return c.request.page.opaque ? null : originOf(c.request.page.origin);
}

function isCrossOrigin(c: CorsCase): boolean {
  const page = pageOrigin(c);
  return page === null || page !== originOf(c.request.url);
}

/** The first hop's redirect, with the URL it sends the request to. */
function firstRedirect(c: CorsCase): { recipe: ResponseRecipe; location: URL } | null {
  const recipe = c.response.actual;
  if (!recipe.redirect) return null;
  try {
    return { recipe, location: redirectTarget(new URL(c.request.url), recipe.redirect) };
  } catch {
    return null;
  }
}

/** The header list fetch() sends (a string body adds Content-Type: text/plain;charset=UTF-8). */
function builtHeaders(c: CorsCase): Header[] | null {
  const built = constructRequest({ method: c.request.method, headers: c.request.headers, body: c.request.body, mode: c.request.mode });
  return built.ok ? built.headers : null;
}

/** A CORS request from a cross-origin page whose method needs no preflight. */
function simpleCorsShape(c: CorsCase): boolean {
  return c.request.mode === 'cors' && !c.request.prior?.length && !c.request.redirect && isCrossOrigin(c) && isCorsSafelistedMethod(normalizeMethod(c.request.method)) && !c.response.actual.redirect;
}

// --- What the spec model says ------------------------------------------------------------------

const specMemo = new WeakMap<CorsCase, SpecExpectation | null>();

function specOf(c: CorsCase): SpecExpectation | null {
  if (!specMemo.has(c)) {
    let spec: SpecExpectation | null = null;
    try {
      spec = evaluate(c);
    } catch {
      spec = null;
    }
    specMemo.set(c, spec);
  }
  return specMemo.get(c) ?? null;
}

function withPrior(c: CorsCase, prior: NonNullable<CorsCase['request']['prior']>): CorsCase {
  return { ...c, request: { ...c.request, prior } };
}

/**
 * The standard serves the measured request from the CORS-preflight cache: on its own it
 * needs a preflight, after the prior requests it does not.
 */
function cacheSparesPreflight(c: CorsCase): boolean {
  if (!c.request.prior?.length) return false;
  const spec = specOf(c);
  const alone = specOf(withPrior(c, []));
  return spec !== null && alone !== null && !spec.preflight && alone.preflight;
}

/** Milliseconds between the first prior request and the measured one. */
function totalWaitMs(c: CorsCase): number {
  return (c.request.prior ?? []).reduce((sum, p) => sum + p.waitMs, 0);
}

function maxAgeLines(c: CorsCase): string[] {
  return lines(c.response.preflight?.headers, 'Access-Control-Max-Age');
}

/** Firefox's AddResultToCache: empty or absent → 5 s, any non-digit → not cached, cap 86400 s. */
function firefoxMaxAgeSeconds(c: CorsCase): number | 'not-cached' {
  const value = maxAgeLines(c).join(', ');
  if (value === '') return 5;
  if (!/^[0-9]+$/.test(value)) return 'not-cached';
  return Math.min(Number(value), 86400);
}

/** WebKit's parseAccessControlMaxAge: parseInteger<int64_t> (a sign allowed), else 5 s; cap 600 s. */
function webkitMaxAgeSeconds(c: CorsCase): number {
  const value = maxAgeLines(c).join(', ');
  if (!/^[+-]?[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) return 5;
  return Math.min(Number(value), 600);
}

function firefoxCaches(c: CorsCase): boolean {
  const age = firefoxMaxAgeSeconds(c);
  return age !== 'not-cached' && age * 1000 > totalWaitMs(c);
}

function webkitCaches(c: CorsCase): boolean {
  return webkitMaxAgeSeconds(c) * 1000 > totalWaitMs(c);
}

// --- Request-header safelist ----------------------------------------------------------------------

/** Same-named headers joined with ", ", the way a single HTTP header map stores them. */
function combineByName(headers: readonly Header[]): Header[] {
  const out: Header[] = [];
  for (const [name, value] of headers) {
    const at = out.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) out[at] = [out[at]![0], `${out[at]![1]}, ${value}`];
    else out.push([name, value]);
  }
  return out;
}

/**
 * Every header line is safelisted and the standard needs no preflight, but once repeated
 * names are combined into one value that value is not safelisted (longer than 128 bytes).
 */
function safelistBrokenByCombining(c: CorsCase): boolean {
  const headers = builtHeaders(c);
  if (!headers || !simpleCorsShape(c)) return false;
  if (corsUnsafeRequestHeaderNames(headers).length > 0) return false;
  return combineByName(headers).some(([n, v]) => !isCorsSafelistedRequestHeader(n, v));
}

/** Every line is safelisted on its own; only the 1024-byte total makes them CORS-unsafe. */
function unsafeOnlyByTotalSize(c: CorsCase): boolean {
  const headers = builtHeaders(c);
  if (!headers || !simpleCorsShape(c)) return false;
  return headers.every(([n, v]) => isCorsSafelistedRequestHeader(n, v)) && corsUnsafeRequestHeaderNames(headers).length > 0;
}

/** WebKit's parseRange: "bytes" matched ASCII case-insensitively, numbers through parseInteger (a leading + allowed). */
function webkitRangeSafelisted(value: string): boolean {
  const m = /^bytes=\+?([0-9]+)-(?:\+?([0-9]+))?$/i.exec(value);
  if (!m) return false;
  return m[2] === undefined || Number(m[1]) <= Number(m[2]);
}

/** A Range the standard does not safelist but WebKit does, and nothing else needs a preflight. */
function rangeOnlyWebkitSafelists(c: CorsCase): boolean {
  const headers = builtHeaders(c);
  if (!headers || !simpleCorsShape(c)) return false;
  const unsafe = corsUnsafeRequestHeaderNames(headers);
  const ranges = lines(headers, 'Range');
  return unsafe.length === 1 && unsafe[0] === 'range' && ranges.length === 1 && webkitRangeSafelisted(ranges[0]!);
}

// --- Redirects ---------------------------------------------------------------------------------

/** A redirect whose Location carries userinfo, and which the standard follows. */
function credentialedLocationTheSpecFollows(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  if (!hop?.recipe.redirect?.userinfo) return false;
  if (c.request.redirect && c.request.redirect !== 'follow') return false;
  if (c.request.mode === 'no-cors') return true;
  // Mode cors: only a same-origin request to a same-origin Location keeps basic tainting.
  const page = pageOrigin(c);
  return c.request.mode === 'cors' && page !== null && page === originOf(c.request.url) && page === hop.location.origin;
}

/**
 * A CORS request with Authorization whose first hop redirects to another origin, where the
 * next hop has no preflight handling: the standard drops Authorization on that hop, so no
 * preflight is needed there and the request succeeds.
 */
function authorizationDroppedOnCrossOriginRedirect(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  if (!hop || c.request.mode !== 'cors' || c.request.credentials === 'include') return false;
  if (!headerNames(c).includes('authorization')) return false;
  if (hop.location.origin === originOf(c.request.url)) return false;
  return hop.recipe.redirect?.next.preflight === null && specOf(c)?.outcome === 'allowed';
}

function firstHopIsSameOrigin(c: CorsCase): boolean {
  const page = pageOrigin(c);
  return page !== null && page === originOf(c.request.url);
}

/**
 * A CORS request that is redirect-tainted at the second hop (page → cross-origin hop →
 * another origin), still needs a preflight there, and whose second hop's preflight answers
 * Access-Control-Allow-Origin: null, which is exactly what the standard's "null" needs.
 */
function taintedPreflightAllowsOnlyNull(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  const page = pageOrigin(c);
  if (!hop || page === null || c.request.mode !== 'cors') return false;
  const first = originOf(c.request.url);
  if (first === page || hop.location.origin === first) return false;
  const pf = hop.recipe.redirect?.next.preflight;
  if (!pf || lines(pf.headers, 'Access-Control-Allow-Origin').join(', ') !== 'null') return false;
  const headers = builtHeaders(c);
  const needsPreflight = needsCorsPreflight(c.request.method, headers ?? []);
  return needsPreflight && specOf(c)?.outcome === 'allowed' && specOf(c)?.preflight === true;
}

// --- The rules ---------------------------------------------------------------------------------

export const KNOWN_DIVERGENCES: readonly DivergenceRule[] = [
  // Preflight cache ------------------------------------------------------------------------------
  // Before acah-wildcard-covers-authorization: the same WebKit behaviour, seen through the cache.
  {
    id: 'webkit-preflight-cache-wildcard-covers-authorization',
    title: 'WebKit: a cached Access-Control-Allow-Headers: * entry serves a request with Authorization',
    engines: ['webkit'],
    observed:
      'The standard\'s header-name cache entry match never lets a `*` entry match Authorization, so the request needs its own preflight (which `*` then fails). WebKit\'s CrossOriginPreflightResultCacheItem::validateCrossOriginHeaders accepts any header under a `*` entry, so the request is sent from the cache with no preflight and succeeds.',
    evidence: [
      `${SPEC}/#concept-cache-match-header`,
      `${WEBKIT}/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp`,
      'https://github.com/whatwg/fetch/issues/1919',
    ],
    differences: ['outcome', 'preflight'],
    applies: (c) =>
      !!c.request.prior?.length &&
      c.request.mode === 'cors' &&
      c.request.credentials !== 'include' &&
      isCorsSafelistedMethod(c.request.method) &&
      headerNames(c).includes('authorization') &&
      tokens(preflightHeader(c, 'Access-Control-Allow-Headers')).includes('*') &&
      !tokens(preflightHeader(c, 'Access-Control-Allow-Headers')).includes('authorization') &&
      webkitCaches(c),
  },
  {
    id: 'acah-wildcard-covers-authorization',
    title: 'Access-Control-Allow-Headers: * lets Authorization through',
    engines: ALL,
    observed:
      'The standard makes Authorization a CORS non-wildcard request-header name: only a literal `authorization` in Access-Control-Allow-Headers allows it. All three engines accept `*` for it.',
    evidence: [
      'https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name',
      'https://github.com/whatwg/fetch/issues/1919',
      'https://github.com/chromium/chromium/blob/main/third_party/blink/web_tests/external/wpt/fetch/api/cors/cors-preflight.any-expected.txt',
      'https://bugzilla.mozilla.org/show_bug.cgi?id=1687364',
      'https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp',
    ],
    differences: ['outcome'],
    applies: (c) =>
      c.request.credentials !== 'include' &&
      c.request.mode === 'cors' &&
      headerNames(c).includes('authorization') &&
      tokens(preflightHeader(c, 'Access-Control-Allow-Headers')).includes('*') &&
      !tokens(preflightHeader(c, 'Access-Control-Allow-Headers')).includes('authorization'),
  },
  {
    id: 'negative-max-age-not-cached',
    title: 'Access-Control-Max-Age: -1 is not cached (the standard falls back to 5 s)',
    engines: ['chromium', 'webkit'],
    observed:
      'A negative value is not delta-seconds, so the standard\'s max-age is the default 5 s and the entry serves the next request. Chromium\'s ParseAccessControlMaxAge turns a negative value into 0 ("the entry cannot be cached"); WebKit\'s parseAccessControlMaxAge parses it with parseInteger<int64_t> and sets an expiry time in the past. Both send a new preflight.',
    evidence: [
      `${SPEC}/#cors-preflight-fetch`,
      `${CHROMIUM}/services/network/cors/preflight_result.cc`,
      `${WEBKIT}/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => maxAgeLines(c).length === 1 && /^-[0-9]+$/.test(maxAgeLines(c)[0]!.trim()) && cacheSparesPreflight(c),
  },
  {
    id: 'chromium-opaque-origin-preflight-not-reused',
    title: 'Chromium: from a sandboxed (opaque-origin) document a cached preflight is never reused',
    engines: ['chromium'],
    observed:
      'Measured here; no upstream report found. From a sandboxed iframe (Origin: null) Chromium sends a new preflight for every request, whatever Access-Control-Max-Age says, where the standard\'s cache (keyed by the serialized origin "null" and the URL) serves it and Firefox and WebKit reuse the entry. Chromium\'s PreflightCache keys entries by the initiator url::Origin, URL, NetworkIsolationKey and target address space; for an opaque initiator the second request does not find the first one\'s entry.',
    evidence: [
      `${SPEC}/#cors-preflight-cache`,
      `${CHROMIUM}/services/network/cors/preflight_cache.cc`,
      `${CHROMIUM}/services/network/cors/preflight_controller.cc`,
    ],
    differences: ['preflight'],
    applies: (c) => c.request.page.opaque === 'sandboxed-iframe' && cacheSparesPreflight(c),
  },
  {
    id: 'firefox-max-age-non-digit-not-cached',
    title: 'Firefox: an Access-Control-Max-Age with any non-digit is not cached at all',
    engines: ['firefox'],
    observed:
      'When Access-Control-Max-Age fails to parse as delta-seconds (or repeats), the standard uses the default 5 s. Firefox\'s nsCORSPreflightListener::AddResultToCache returns without caching as soon as the (combined) value has a byte outside 0-9: "-1", "+10", "1.5", "0x10", "10s", "abc" and two lines ("600, 600") all mean a new preflight next time.',
    evidence: [
      `${SPEC}/#cors-preflight-fetch`,
      `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => firefoxMaxAgeSeconds(c) === 'not-cached' && cacheSparesPreflight(c),
  },
  {
    id: 'firefox-preflight-cache-method-wildcard-literal',
    title: 'Firefox: a cached Access-Control-Allow-Methods: * does not cover another method',
    engines: ['firefox'],
    observed:
      'The standard stores `*` as a method cache entry that matches any method without credentials. Firefox accepts `*` in the preflight itself but its cache (nsPreflightCache::CacheEntry::CheckRequest) compares method tokens literally, so a DELETE after a PUT allowed by `*` sends a new preflight.',
    evidence: [
      `${SPEC}/#concept-cache-match-method`,
      `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) =>
      c.request.credentials !== 'include' &&
      !['GET', 'POST'].includes(c.request.method) &&
      tokens(preflightHeader(c, 'Access-Control-Allow-Methods')).includes('*') &&
      !(preflightHeader(c, 'Access-Control-Allow-Methods') ?? '').split(',').map((t) => t.trim()).includes(c.request.method) &&
      firefoxCaches(c) &&
      cacheSparesPreflight(c),
  },
  {
    id: 'firefox-preflight-cache-keyed-by-credentials',
    title: 'Firefox: a credentialed preflight-cache entry does not serve an uncredentialed request',
    engines: ['firefox'],
    observed:
      'The standard\'s cache entry match lets an entry made with credentials serve a request without them. Firefox keys its preflight cache by (URL, principal, withCredentials), so a request with credentials omit after one with include finds no entry and sends a new preflight.',
    evidence: [
      `${SPEC}/#concept-cache-match`,
      `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) =>
      c.request.credentials !== 'include' &&
      !!c.request.prior?.length &&
      c.request.prior.every((p) => (p.credentials ?? c.request.credentials) === 'include') &&
      firefoxCaches(c) &&
      cacheSparesPreflight(c),
  },
  {
    id: 'webkit-failed-preflight-still-cached',
    title: 'WebKit: a preflight that fails the method or header check still refreshes the cache',
    engines: ['webkit'],
    observed:
      'After a preflight-needing request fails, the standard clears the cache entries for that origin and URL, so the next request sends its own preflight. WebKit\'s validatePreflightResponse appends the preflight response to CrossOriginPreflightResultCache before it reports that the method or headers were not allowed, so the next request (a PUT that response allows) is sent from the cache.',
    evidence: [
      `${SPEC}/#main-fetch`,
      `${WEBKIT}/Source/WebCore/loader/CrossOriginAccessControl.cpp`,
      `${WEBKIT}/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => {
      const prior = c.request.prior ?? [];
      if (prior.length < 2 || !webkitCaches(c)) return false;
      const spec = specOf(c);
      const firstOnly = specOf(withPrior(c, prior.slice(0, 1)));
      return spec !== null && firstOnly !== null && spec.preflight && !firstOnly.preflight && spec.outcome === 'allowed';
    },
  },

  // Request-header safelist ----------------------------------------------------------------------
  {
    id: 'repeated-safelisted-header-combined-no-handler',
    title: 'Chromium and WebKit judge a repeated safelisted header by its combined value (server without preflight handling)',
    engines: ['chromium', 'webkit'],
    observed:
      'The standard checks each header-list entry on its own (CORS-unsafe request-header names) and only adds up their lengths against 1024 bytes: eight 128-byte Accept-Language lines need no preflight. Chromium and WebKit keep one value per name, joined with ", ", and that value is longer than 128 bytes, so they send a preflight, which fails here.',
    evidence: [
      `${SPEC}/#cors-unsafe-request-header-names`,
      `${CHROMIUM}/services/network/public/cpp/cors/cors.cc`,
      `${WEBKIT}/Source/WebCore/platform/network/HTTPHeaderMap.cpp`,
    ],
    differences: ['outcome', 'preflight'],
    applies: (c) => c.response.preflight === null && safelistBrokenByCombining(c),
  },
  {
    id: 'repeated-safelisted-header-combined',
    title: 'Chromium and WebKit judge a repeated safelisted header by its combined value',
    engines: ['chromium', 'webkit'],
    observed:
      'As repeated-safelisted-header-combined-no-handler, with a server that allows the preflight: the request succeeds, but after a preflight the standard does not make.',
    evidence: [
      `${SPEC}/#cors-unsafe-request-header-names`,
      `${CHROMIUM}/services/network/public/cpp/cors/cors.cc`,
      `${WEBKIT}/Source/WebCore/platform/network/HTTPHeaderMap.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => c.response.preflight !== null && safelistBrokenByCombining(c),
  },
  {
    id: 'firefox-no-safelist-total-size-limit-no-handler',
    title: 'Firefox: no 1024-byte limit on the safelisted request-header values (server without preflight handling)',
    engines: ['firefox'],
    observed:
      'When the CORS-safelisted request-header values add up to more than 1024 bytes, the standard makes all of them CORS-unsafe and requires a preflight. Firefox checks each header on its own (InternalHeaders::GetUnsafeHeaders keeps no running total) and sends the request without a preflight, so it succeeds where the standard fails it.',
    evidence: [
      `${SPEC}/#cors-unsafe-request-header-names`,
      `${GECKO}/dom/fetch/InternalHeaders.cpp`,
    ],
    differences: ['outcome', 'preflight'],
    applies: (c) => c.response.preflight === null && unsafeOnlyByTotalSize(c),
  },
  {
    id: 'firefox-no-safelist-total-size-limit',
    title: 'Firefox: no 1024-byte limit on the safelisted request-header values',
    engines: ['firefox'],
    observed: 'As firefox-no-safelist-total-size-limit-no-handler, with a server that would allow the preflight: Firefox sends none.',
    evidence: [
      `${SPEC}/#cors-unsafe-request-header-names`,
      `${GECKO}/dom/fetch/InternalHeaders.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => c.response.preflight !== null && unsafeOnlyByTotalSize(c),
  },
  {
    id: 'webkit-range-safelist-lenient-no-handler',
    title: 'WebKit safelists Range: BYTES=0-10 and bytes=+0-10 (server without preflight handling)',
    engines: ['webkit'],
    observed:
      'The standard\'s "parse a single range header value" needs the literal lowercase "bytes" and ASCII digits only. WebKit\'s parseRange matches "bytes" ASCII case-insensitively and reads the numbers with parseInteger, which accepts a leading "+", so it sends these requests without a preflight.',
    evidence: [
      `${SPEC}/#simple-range-header-value`,
      `${WEBKIT}/Source/WebCore/platform/network/HTTPParsers.cpp`,
    ],
    differences: ['outcome', 'preflight'],
    applies: (c) => c.response.preflight === null && rangeOnlyWebkitSafelists(c),
  },
  {
    id: 'webkit-range-safelist-lenient',
    title: 'WebKit safelists Range: BYTES=0-10 and bytes=+0-10',
    engines: ['webkit'],
    observed: 'As webkit-range-safelist-lenient-no-handler, with a server that would allow the preflight: WebKit sends none.',
    evidence: [
      `${SPEC}/#simple-range-header-value`,
      `${WEBKIT}/Source/WebCore/platform/network/HTTPParsers.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => c.response.preflight !== null && rangeOnlyWebkitSafelists(c),
  },

  // Redirects -----------------------------------------------------------------------------------
  {
    id: 'chromium-blocks-credentialed-redirect-location',
    title: 'Chromium: a redirect to a URL with userinfo fails even where the standard follows it',
    engines: ['chromium'],
    observed:
      'The standard rejects a Location with credentials only for a CORS request that is cross-origin or already CORS-tainted. Chromium blocks every fetch() redirect to a URL with a username or password, also same-origin ones and mode no-cors (Blink\'s FrameFetchContext::ShouldBlockFetchAsCredentialedSubresource blocks credentialed subresource URLs other than XMLHttpRequest). The page sees a TypeError.',
    evidence: [
      `${SPEC}/#http-redirect-fetch`,
      `${CHROMIUM}/third_party/blink/renderer/core/loader/frame_fetch_context.cc`,
    ],
    differences: ['outcome'],
    applies: (c) => credentialedLocationTheSpecFollows(c),
  },
  {
    id: 'firefox-authorization-redirect-still-preflighted',
    title: 'Firefox: after a cross-origin redirect drops Authorization, the next hop still gets a preflight',
    engines: ['firefox'],
    observed:
      'The standard removes Authorization on a cross-origin redirect, so the next hop gets a request that needs no preflight. Firefox strips Authorization (and leaves it out of Access-Control-Request-Headers) but its CheckPreflightNeeded still forces a preflight from the load\'s original CorsUnsafeHeaders; a server without preflight handling then fails the request.',
    evidence: [
      `${SPEC}/#http-redirect-fetch`,
      `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
      'https://bugzilla.mozilla.org/show_bug.cgi?id=1874132',
    ],
    differences: ['outcome'],
    applies: (c) => authorizationDroppedOnCrossOriginRedirect(c) && !firstHopIsSameOrigin(c),
  },
  {
    id: 'firefox-authorization-redirect-still-preflighted-from-same-origin',
    title: 'Firefox: a same-origin request with Authorization redirected cross-origin is preflighted',
    engines: ['firefox'],
    observed:
      'As firefox-authorization-redirect-still-preflighted, when the first hop is same-origin: the standard sends no preflight at all, Firefox sends one (with no Access-Control-Request-Headers) to the cross-origin hop and fails there.',
    evidence: [
      `${SPEC}/#http-redirect-fetch`,
      `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
    ],
    differences: ['outcome', 'preflight'],
    applies: (c) => authorizationDroppedOnCrossOriginRedirect(c) && firstHopIsSameOrigin(c),
  },
  {
    id: 'webkit-authorization-kept-on-cross-origin-redirect',
    title: 'WebKit: Authorization survives a cross-origin redirect',
    engines: ['webkit'],
    observed:
      'Measured here; no upstream report found. The standard removes Authorization when a redirect crosses origins. WebKit keeps it: the next hop receives a preflight with Access-Control-Request-Headers: authorization, which a server without preflight handling fails.',
    evidence: [`${SPEC}/#http-redirect-fetch`],
    differences: ['outcome'],
    applies: (c) => authorizationDroppedOnCrossOriginRedirect(c) && !firstHopIsSameOrigin(c),
  },
  {
    id: 'webkit-authorization-kept-on-cross-origin-redirect-from-same-origin',
    title: 'WebKit: Authorization survives a redirect from a same-origin URL to another origin',
    engines: ['webkit'],
    observed:
      'Measured here; no upstream report found. As webkit-authorization-kept-on-cross-origin-redirect, when the first hop is same-origin: the standard sends no preflight at all; WebKit preflights the cross-origin hop for authorization and fails there.',
    evidence: [`${SPEC}/#http-redirect-fetch`],
    differences: ['outcome', 'preflight'],
    applies: (c) => authorizationDroppedOnCrossOriginRedirect(c) && firstHopIsSameOrigin(c),
  },
  {
    id: 'firefox-redirect-preflight-origin-not-null',
    title: 'Firefox: the preflight after a cross-origin redirect carries the page origin, not "null"',
    engines: ['firefox'],
    observed:
      'Once a request is redirect-tainted, the standard serializes its origin as "null", also for the preflight at the next hop, so Access-Control-Allow-Origin: null passes. Firefox builds the preflight from the load\'s loading principal (nsCORSListenerProxy::StartCORSPreflight), so it sends the page origin and Access-Control-Allow-Origin: null fails; the actual request after it does carry Origin: null.',
    evidence: [
      `${SPEC}/#serializing-a-request-origin`,
      `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
    ],
    differences: ['outcome'],
    applies: (c) => taintedPreflightAllowsOnlyNull(c),
  },
];
