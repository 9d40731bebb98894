// Known divergences: where engines measurably do something other than what the Fetch
// standard requires, each with its evidence. A case one of these rules covers is an
// expected failure in the engines it names; any other difference fails the run, and so
// does a listed divergence that an engine no longer shows (update this file then).
//
// The first rule that names an engine and applies decides (runner/verdict.ts), so a rule
// whose `differences` differ by case (e.g. blocked-and-preflighted vs only preflighted)
// is written as two rules with disjoint predicates, made by one factory so that the twins
// share everything else. Predicates read the case through case-facts.ts; whether the
// standard sends a preflight, and what it asks, comes from the oracle, and where "the
// standard would have served this from the CORS-preflight cache" is the question they ask
// the spec model itself, so a rule can never claim a divergence the model does not predict.
// What an engine does instead is modelled in engine-models.ts.
import type { CorsCase } from '../model/case.ts';
import type { EngineId, KnownDivergence } from '../model/results.ts';
import {
  corsPreflightRequest,
  corsUnsafeRequestHeaderNames,
  getHeader,
  headerListContains,
  headerValues,
  isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  type PreflightRequest,
  trimOws,
} from '../oracle/index.ts';
import {
  cacheSparesPreflight,
  finalIsCrossOrigin,
  finalResponse,
  finalType,
  firstHopIsSameOrigin,
  firstRedirect,
  methodIsSafelisted,
  originOf,
  requestingOrigin,
  plainCorsRequest,
  preflightList,
  preflightValue,
  preflightValues,
  requestHas,
  sentHeaders,
  specOf,
  totalWaitMs,
  withPrior,
} from './case-facts.ts';
import { firefoxCacheHolds, firefoxMaxAgeSeconds, webkitCacheHolds, webkitRangeSafelisted } from './engine-models.ts';

export interface DivergenceRule extends KnownDivergence {
  /** The case-id prefixes of the families the rule was written for: a rule that applies to a
   *  case outside them has grown past its evidence (tests/unit/divergences.spec.ts). */
  families: string[];
  /** What differs from the spec model when the rule applies. */
  differences: Array<'outcome' | 'preflight' | 'readable' | 'content' | 'origin'>;
  applies(c: CorsCase): boolean;
}

const ALL: EngineId[] = ['chromium', 'firefox', 'webkit'];

const SPEC = 'https://fetch.spec.whatwg.org';
const CHROMIUM = 'https://github.com/chromium/chromium/blob/main';
const GECKO = 'https://github.com/mozilla/gecko-dev/blob/master';
const WEBKIT = 'https://github.com/WebKit/WebKit/blob/main';

// --- Twin rules --------------------------------------------------------------------------------

type RuleText = Pick<DivergenceRule, 'id' | 'families' | 'title' | 'engines' | 'observed' | 'evidence'>;

/**
 * One engine behaviour about whether a request is preflighted, as two rules split by the
 * server: without preflight handling (the fixture answers a preflight 404) the request also
 * fails, with a preflight answer that allows it only the preflight differs. The second rule
 * is `rule.id`; the first adds `-no-handler`, and carries the full description.
 */
function preflightHandlingTwins(rule: RuleText & { whenAllowed: string; applies: (c: CorsCase) => boolean }): DivergenceRule[] {
  const noHandler = `${rule.id}-no-handler`;
  return [
    {
      id: noHandler,
      families: [...rule.families],
      title: `${rule.title} (server without preflight handling)`,
      engines: [...rule.engines],
      observed: rule.observed,
      evidence: [...rule.evidence],
      differences: ['outcome', 'preflight'],
      applies: (c) => c.response.preflight === null && rule.applies(c),
    },
    {
      id: rule.id,
      families: [...rule.families],
      title: rule.title,
      engines: [...rule.engines],
      observed: `As ${noHandler}, ${rule.whenAllowed}`,
      evidence: [...rule.evidence],
      differences: ['preflight'],
      applies: (c) => c.response.preflight !== null && rule.applies(c),
    },
  ];
}

/**
 * One engine behaviour on a redirected request, as two rules split by the first hop: from a
 * cross-origin first hop only the outcome differs; from a same-origin one (`-from-same-origin`)
 * the standard sends no preflight at all, so the engine's preflight differs too. `note`
 * (e.g. where the evidence comes from) opens both descriptions.
 */
function firstHopTwins(
  rule: RuleText & { note?: string; differences?: DivergenceRule['differences']; applies: (c: CorsCase) => boolean },
  fromSameOrigin: { title: string; observed: string; evidence: string[] },
): DivergenceRule[] {
  const opening = rule.note === undefined ? '' : `${rule.note} `;
  return [
    {
      id: rule.id,
      families: [...rule.families],
      title: rule.title,
      engines: [...rule.engines],
      observed: `${opening}${rule.observed}`,
      evidence: [...rule.evidence],
      differences: rule.differences ?? ['outcome'],
      applies: (c) => rule.applies(c) && !firstHopIsSameOrigin(c),
    },
    {
      id: `${rule.id}-from-same-origin`,
      families: [...rule.families],
      title: fromSameOrigin.title,
      engines: [...rule.engines],
      observed: `${opening}As ${rule.id}, when the first hop is same-origin: ${fromSameOrigin.observed}`,
      evidence: [...fromSameOrigin.evidence],
      differences: ['outcome', 'preflight'],
      applies: (c) => rule.applies(c) && firstHopIsSameOrigin(c),
    },
  ];
}

// --- Preflight cache ---------------------------------------------------------------------------

const firefoxCaches = (c: CorsCase): boolean => firefoxCacheHolds(preflightValue(c, 'Access-Control-Max-Age'), totalWaitMs(c));
const webkitCaches = (c: CorsCase): boolean => webkitCacheHolds(preflightValue(c, 'Access-Control-Max-Age'), totalWaitMs(c));

/** A CORS request with Authorization whose preflight answer allows `*` but does not name Authorization. */
function starWithoutAuthorization(c: CorsCase): boolean {
  const allowed = preflightList(c, 'Access-Control-Allow-Headers');
  return (
    c.request.mode === 'cors' &&
    c.request.credentials !== 'include' &&
    requestHas(c, 'Authorization') &&
    allowed.includes('*') &&
    !allowed.some(isCorsNonWildcardRequestHeaderName)
  );
}

/** Exactly one Access-Control-Max-Age line, a negative integer. */
function negativeMaxAge(c: CorsCase): boolean {
  const lines = preflightValues(c, 'Access-Control-Max-Age');
  return lines.length === 1 && /^-[0-9]+$/.test(trimOws(lines[0] ?? ''));
}

// --- Request-header safelist -------------------------------------------------------------------

/**
 * The standard's preflight for a plain CORS request (case-facts.ts) whose method is
 * CORS-safelisted: one that only the headers bring about. Null when there is none.
 */
function preflightForHeadersAlone(c: CorsCase): PreflightRequest | null {
  if (!plainCorsRequest(c)) return null;
  const preflight = corsPreflightRequest(c.request);
  return preflight !== null && isCorsSafelistedMethod(preflight.method) ? preflight : null;
}

/**
 * Every line the page set is safelisted and together they stay within 1024 bytes, but the user
 * agent's own `Accept: *` + `/*`, which the standard counts too, takes the total past it: only
 * that makes the standard preflight.
 */
function unsafeOnlyWithUserAgentAccept(c: CorsCase): boolean {
  const headers = sentHeaders(c);
  if (!headers || !preflightForHeadersAlone(c) || headerListContains(headers, 'Accept')) return false;
  return headers.every(([n, v]) => isCorsSafelistedRequestHeader(n, v)) && corsUnsafeRequestHeaderNames(headers).length === 0;
}

/** Every line is safelisted on its own; only the 1024-byte total makes the standard preflight. */
function unsafeOnlyByTotalSize(c: CorsCase): boolean {
  const headers = sentHeaders(c);
  if (!headers || !preflightForHeadersAlone(c)) return false;
  return headers.every(([n, v]) => isCorsSafelistedRequestHeader(n, v));
}

/** A Range the standard does not safelist but WebKit does, and nothing else needs a preflight. */
function rangeOnlyWebkitSafelists(c: CorsCase): boolean {
  const headers = sentHeaders(c);
  if (!headers || preflightForHeadersAlone(c)?.headers !== 'range') return false;
  const ranges = headerValues(headers, 'Range');
  return ranges.length === 1 && webkitRangeSafelisted(ranges[0] ?? '');
}

// --- Redirects ---------------------------------------------------------------------------------

/** A redirect whose Location carries userinfo, and which the standard follows. */
function credentialedLocationTheSpecFollows(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  if (!hop?.recipe.redirect?.userinfo) return false;
  if (c.request.redirect && c.request.redirect !== 'follow') return false;
  if (c.request.mode === 'no-cors') return true;
  // Mode cors: only a same-origin request to a same-origin Location keeps basic tainting.
  return c.request.mode === 'cors' && firstHopIsSameOrigin(c) && requestingOrigin(c) === hop.location.origin;
}

/**
 * A CORS request with Authorization whose first hop redirects to another origin, where the
 * next hop has no preflight handling: the standard drops Authorization on that hop, so no
 * preflight is needed there and the request succeeds.
 */
function authorizationDroppedOnCrossOriginRedirect(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  if (!hop || c.request.mode !== 'cors' || c.request.credentials === 'include') return false;
  if (!requestHas(c, 'Authorization')) return false;
  if (hop.location.origin === originOf(c.request.url)) return false;
  return hop.recipe.redirect?.next.preflight === null && specOf(c)?.outcome === 'allowed';
}

/**
 * A CORS request that is redirect-tainted at the second hop (page → cross-origin hop →
 * another origin), still needs a preflight there, and whose second hop's preflight answers
 * Access-Control-Allow-Origin: null, which is exactly what the standard's "null" needs.
 */
function taintedPreflightAllowsOnlyNull(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  if (!hop || requestingOrigin(c) === null || c.request.mode !== 'cors' || firstHopIsSameOrigin(c)) return false;
  if (hop.location.origin === originOf(c.request.url)) return false;
  const pf = hop.recipe.redirect?.next.preflight;
  if (!pf || getHeader(pf.headers, 'Access-Control-Allow-Origin') !== 'null') return false;
  // The request as the page made it needs a preflight, and the spec model sends one.
  return corsPreflightRequest(c.request) !== null && specOf(c)?.outcome === 'allowed' && specOf(c)?.preflight === true;
}

/** As taintedPreflightAllowsOnlyNull, where the second hop's preflight allows the page origin
 *  instead, so the standard's "null" preflight fails there. */
function taintedPreflightAllowsPage(c: CorsCase): boolean {
  const hop = firstRedirect(c);
  const page = requestingOrigin(c);
  if (!hop || page === null || c.request.mode !== 'cors' || firstHopIsSameOrigin(c)) return false;
  if (hop.location.origin === originOf(c.request.url)) return false;
  const pf = hop.recipe.redirect?.next.preflight;
  if (!pf || getHeader(pf.headers, 'Access-Control-Allow-Origin') !== page) return false;
  return corsPreflightRequest(c.request) !== null && specOf(c)?.outcome === 'blocked' && specOf(c)?.origin === page;
}

// --- The Origin header -------------------------------------------------------------------------

/** An element, a font or a worker's import() of one of these kinds, fetched in mode cors from the
 *  page's own origin: basic tainting, so the standard's GET carries no Origin. */
function sameOriginCorsElementRequest(c: CorsCase, kinds: readonly string[]): boolean {
  const kind = c.request.initiator?.kind;
  if (kind === undefined || !kinds.includes(kind)) return false;
  return c.request.mode === 'cors' && firstHopIsSameOrigin(c) && !c.response.actual.redirect && specOf(c)?.origin === null;
}

const ORIGIN_RULES: DivergenceRule[] = [
  {
    id: 'same-origin-cors-request-sends-origin',
    families: ['initiators/element/', 'initiators/cors-only/', 'initiators/worker/', 'initiators/cookie/', 'corp/', 'mime/'],
    title: 'Chromium and WebKit send Origin on a same-origin request in mode cors',
    engines: ['chromium', 'webkit'],
    observed:
      "The standard appends Origin to a request whose response tainting is cors, or whose method is neither GET nor HEAD; a same-origin GET in mode cors (an <img crossorigin>, a module script, an import() from a worker) keeps basic tainting and carries none. Chromium and WebKit send Origin with the page's origin on it (Blink and WebKit set Origin for every request in mode cors).",
    evidence: [
      `${SPEC}/#append-a-request-origin-header`,
      `${CHROMIUM}/services/network/cors/cors_url_loader.cc`,
      `${WEBKIT}/Source/WebCore/loader/cache/CachedResourceRequest.cpp`,
    ],
    differences: ['origin'],
    applies: (c) => sameOriginCorsElementRequest(c, ['img', 'script', 'module-script', 'stylesheet']),
  },
  {
    id: 'chromium-same-origin-font-and-worker-import-send-origin',
    families: ['initiators/cors-only/', 'initiators/cookie/', 'initiators/worker/'],
    title: "Chromium sends Origin on a same-origin font request and a worker's same-origin import()",
    engines: ['chromium'],
    observed:
      "As same-origin-cors-request-sends-origin, for fonts and for a module worker's import(): both are fetched in mode cors, and from the page's own origin the standard's GET carries no Origin. Chromium sends the page origin; WebKit does not (WebKitGTK sends no Origin on any font request: webkitgtk-fonts-without-cors).",
    evidence: [`${SPEC}/#append-a-request-origin-header`, `${CHROMIUM}/services/network/cors/cors_url_loader.cc`],
    differences: ['origin'],
    applies: (c) => sameOriginCorsElementRequest(c, ['font', 'worker']),
  },
  {
    id: 'webkit-same-origin-media-sends-origin',
    families: ['initiators/element/initiator=video', 'initiators/element/initiator=audio'],
    title: 'WebKit sends Origin on a same-origin <video crossorigin> or <audio crossorigin> request',
    engines: ['webkit'],
    observed:
      'As same-origin-cors-request-sends-origin, for media elements with a crossorigin attribute: WebKit sends the page origin on the same-origin GET, where the standard sends none; Chromium sends none there.',
    evidence: [`${SPEC}/#append-a-request-origin-header`, `${WEBKIT}/Source/WebCore/loader/cache/CachedResourceRequest.cpp`],
    differences: ['origin'],
    applies: (c) => sameOriginCorsElementRequest(c, ['media']),
  },
  {
    id: 'webkitgtk-fonts-without-origin',
    families: ['initiators/cors-only/initiator=font-face', 'initiators/cookie/initiator=font-face'],
    title: 'WebKitGTK: a font from another origin goes without Origin, also where it loads',
    engines: ['webkit'],
    observed:
      "As webkitgtk-fonts-without-cors, where the response allows the page anyway: the standard's font request to another origin is CORS-tainted and carries the page origin; WebKitGTK sends none (the outcome is the same).",
    evidence: [
      'https://drafts.csswg.org/css-fonts/#font-fetching-requirements',
      `${SPEC}/#append-a-request-origin-header`,
      `${WEBKIT}/Source/WebCore/css/CSSFontFaceSrcValue.cpp`,
    ],
    differences: ['origin'],
    applies: (c) => c.request.initiator?.kind === 'font' && specOf(c)?.outcome === 'allowed' && typeof specOf(c)?.origin === 'string',
  },
  {
    id: 'webkit-sandboxed-beacon-sends-embedder-origin',
    families: ['initiators/beacon/'],
    title: "WebKit: a beacon from a sandboxed iframe carries the embedding page's origin, not null",
    engines: ['webkit'],
    observed:
      'A beacon is a POST, so it carries Origin; from a sandboxed (opaque-origin) document its origin serializes as "null". WebKit sends the origin of the page that embeds the frame. Measured here; no upstream report found.',
    evidence: [`${SPEC}/#append-a-request-origin-header`, `${SPEC}/#serializing-a-request-origin`, 'https://w3c.github.io/beacon/#sec-processing-model'],
    differences: ['origin'],
    applies: (c) =>
      c.request.initiator?.kind === 'beacon' && c.request.mode === 'no-cors' && c.request.page.opaque === 'sandboxed-iframe' && specOf(c)?.origin === 'null',
  },
  {
    id: 'webkit-origin-kept-on-redirect-to-get',
    families: ['redirects/origin/'],
    title: 'WebKit keeps Origin when a redirect turns a same-origin POST into a GET',
    engines: ['webkit'],
    observed:
      'A 301 or 302 after a POST, and a 303, make the next request a GET; with basic tainting that GET carries no Origin. WebKit keeps the Origin header the POST had. Measured here; no upstream report found.',
    evidence: [`${SPEC}/#http-redirect-fetch`, `${SPEC}/#append-a-request-origin-header`],
    differences: ['origin'],
    applies: (c) => {
      const hop = firstRedirect(c);
      return !!hop && c.request.method === 'POST' && [301, 302, 303].includes(hop.recipe.status) && specOf(c)?.origin === null;
    },
  },
];

// --- The rules ---------------------------------------------------------------------------------

// --- Initiators other than fetch() -----------------------------------------------------------------

const HTML = 'https://html.spec.whatwg.org/multipage';

const INITIATOR_RULES: DivergenceRule[] = [
  {
    id: 'firefox-classic-script-errors-not-muted',
    families: [
      'initiators/element/initiator=script/',
      'initiators/redirect/initiator=script/',
      'initiators/cookie/initiator=script/',
      'corp/value/loader=script/',
      'corp/redirect/loader=script/',
      'mime/type/loader=script/',
      'bad-ports/port/port=ok-8080/loader=script',
      'bad-ports/redirect/port=ok-8080/loader=script',
    ],
    title: "Firefox: a no-cors classic script's own error reaches window.onerror unmuted",
    engines: ['firefox'],
    observed:
      'The standard mutes the errors of a classic script whose response is not CORS-same-origin (no crossorigin attribute on another origin, or a redirect through one): `window.onerror` sees "Script error." and nothing else. Chromium and WebKit do. Firefox hands the page the script\'s own message (`Error: cc-classic-script-ran`), for cross-origin scripts, scripts reached through a cross-origin redirect, and scripts from an opaque-origin frame alike.',
    evidence: [`${HTML}/webappapis.html#muted-errors`, 'https://github.com/whatwg/html/issues/10514', 'https://github.com/whatwg/html/issues/958'],
    differences: ['content'],
    applies: (c) => c.request.initiator?.kind === 'script' && specOf(c)?.outcome === 'allowed' && specOf(c)?.contentReadable === false,
  },
  {
    id: 'webkitgtk-fonts-without-cors',
    families: ['initiators/cors-only/initiator=font-face', 'initiators/cookie/initiator=font-face'],
    title: 'WebKitGTK: fonts load from other origins without a CORS check',
    engines: ['webkit'],
    observed:
      'The standard fetches a font in mode "cors", so a font from another origin needs Access-Control-Allow-Origin. WebKitGTK (MiniBrowser 2.50) sends the font request with no Origin header and uses the font whatever the response says, for @font-face rules and FontFace objects, from opaque-origin frames too.',
    evidence: ['https://drafts.csswg.org/css-fonts/#font-fetching-requirements', `${WEBKIT}/Source/WebCore/css/CSSFontFaceSrcValue.cpp`],
    // Without the Origin the standard's CORS request carries.
    differences: ['outcome', 'origin'],
    // Mixed content stops a font before any CORS check, in WebKitGTK as in the standard.
    applies: (c) => c.group === 'initiators' && c.request.initiator?.kind === 'font' && specOf(c)?.outcome === 'blocked',
  },
];

// --- Loads that fail for reasons other than CORS ------------------------------------------------------

const ORB_PR = 'https://github.com/whatwg/fetch/pull/1442';

/** An `<img>` without crossorigin whose final response is on another origin, served with a
 *  type one engine's opaque-response blocking refuses. */
function imageOrbBlocks(c: CorsCase, blocks: (essence: string | null, nosniff: boolean) => boolean): boolean {
  const initiator = c.request.initiator;
  if (initiator?.kind !== 'img' || c.request.mode !== 'no-cors' || !finalIsCrossOrigin(c) || specOf(c)?.outcome !== 'allowed') return false;
  const { essence, nosniff } = finalType(c);
  return blocks(essence, nosniff);
}

/** A `<link rel=stylesheet>` whose final response the standard refuses for its type alone (not
 *  text/css, no nosniff): `withType` says whether it had a Content-Type line at all. */
function stylesheetRefusedForType(c: CorsCase, withType: boolean): boolean {
  if (c.request.initiator?.kind !== 'stylesheet' || specOf(c)?.outcome !== 'blocked') return false;
  const { recipe } = finalResponse(c);
  const { essence, nosniff } = finalType(c);
  if (nosniff || essence === 'text/css' || recipe.status !== 200 || recipe.headers.some(([n]) => n.toLowerCase() === 'cross-origin-resource-policy'))
    return false;
  return withType ? essence !== null : recipe.omitContentType === true;
}

const LOAD_RULES: DivergenceRule[] = [
  {
    id: 'chromium-orb-blocks-image',
    families: ['mime/type/loader=img/'],
    title: 'Chromium: opaque-response blocking refuses a cross-origin image served as text/csv, or as text/plain or JSON with nosniff',
    engines: ['chromium'],
    observed:
      "The Fetch standard hands an `<img>` without crossorigin its opaque response whatever its Content-Type, and the PNG bytes decode. Chromium's opaque-response blocking (ORB) refuses the cross-origin response first, and the image fires `error`: measured for `text/csv` (with and without nosniff) and for `text/plain` and `application/json` with `X-Content-Type-Options: nosniff`. Same-origin images, other types, and `fetch()` in mode no-cors are not affected here.",
    evidence: [ORB_PR, 'https://github.com/annevk/orb', `${CHROMIUM}/services/network/orb/orb_impl.cc`],
    differences: ['outcome'],
    applies: (c) => imageOrbBlocks(c, (e, nosniff) => e === 'text/csv' || (nosniff && (e === 'text/plain' || e === 'application/json'))),
  },
  {
    id: 'firefox-orb-blocks-image',
    families: ['mime/type/loader=img/'],
    title: 'Firefox: opaque-response blocking refuses a cross-origin image served as text/csv, or as JSON with nosniff',
    engines: ['firefox'],
    observed:
      "The Fetch standard hands an `<img>` without crossorigin its opaque response whatever its Content-Type, and the PNG bytes decode. Firefox's opaque-response blocking refuses the cross-origin response, and the image fires `error`: measured for `text/csv` (with and without nosniff) and for `application/json` with `X-Content-Type-Options: nosniff`. Unlike Chromium, Firefox lets `text/plain` with nosniff through.",
    evidence: [ORB_PR, 'https://github.com/annevk/orb', `${GECKO}/netwerk/protocol/http/OpaqueResponseUtils.cpp`],
    differences: ['outcome'],
    applies: (c) => imageOrbBlocks(c, (e, nosniff) => e === 'text/csv' || (nosniff && e === 'application/json')),
  },
  {
    id: 'chromium-stylesheet-wrong-type-fires-load',
    families: ['mime/type/loader=stylesheet/'],
    title: 'Chromium: a style sheet refused for its Content-Type fires load, with an empty sheet, not error',
    engines: ['chromium'],
    observed:
      'Measured here. The HTML standard fires `error` at a `<link rel=stylesheet>` whose response is not `text/css`. Chromium does not apply the sheet either, but fires `load`: `link.sheet` exists and, same-origin, has 0 rules (the served sheet has 1), for image/png, text/csv, text/plain, application/json and text/javascript without nosniff. With nosniff, and for a cross-origin text/csv that opaque-response blocking stops first, it fires `error`.',
    evidence: [`${HTML}/links.html#link-type-stylesheet`, `${CHROMIUM}/third_party/blink/renderer/core/loader/resource/css_style_sheet_resource.cc`],
    differences: ['outcome'],
    applies: (c) => stylesheetRefusedForType(c, true) && !(finalType(c).essence === 'text/csv' && finalIsCrossOrigin(c)),
  },
  {
    id: 'stylesheet-without-content-type-applied',
    families: ['mime/type/loader=stylesheet/type=absent/'],
    title: 'A style sheet served without any Content-Type is used',
    engines: ALL,
    observed:
      'A response with no Content-Type line has no MIME type ("extract a MIME type" returns failure), so it is not text/css and the HTML standard refuses the style sheet. All three engines use it (same-origin, its rule is readable) when nosniff is not set; with nosniff all three refuse it.',
    evidence: [`${HTML}/links.html#link-type-stylesheet`, `${SPEC}/#concept-header-extract-mime-type`],
    differences: ['outcome'],
    applies: (c) => stylesheetRefusedForType(c, false),
  },
  {
    id: 'firefox-upgraded-mixed-content-taints',
    families: ['mixed-content/loader/loader=img/', 'mixed-content/loader/loader=video/'],
    title: "Firefox: an image or video upgraded from http to the page's own https origin still taints the canvas",
    engines: ['firefox'],
    observed:
      "Measured here. An https page's `<img>` or `<video>` of `http://a.test` is upgraded to `https://a.test`, the page's own origin, so the standard's response is basic (same-origin) and the canvas stays origin-clean. Firefox upgrades and loads it too, but the canvas is tainted: `getImageData()` throws as for another origin. Chromium and WebKit leave the canvas readable.",
    evidence: ['https://w3c.github.io/webappsec-mixed-content/#upgrade-algorithm', `${GECKO}/dom/security/nsMixedContentBlocker.cpp`],
    differences: ['content'],
    applies: (c) => {
      const kind = c.request.initiator?.kind;
      if ((kind !== 'img' && kind !== 'media') || c.request.mode !== 'no-cors') return false;
      const page = new URL(c.request.page.origin);
      const target = new URL(c.request.url);
      return page.protocol === 'https:' && target.protocol === 'http:' && target.hostname === page.hostname && specOf(c)?.contentReadable === true;
    },
  },
  {
    id: 'upgraded-mixed-content-sends-origin',
    families: ['mixed-content/loader/loader=img-anonymous/'],
    title: "All three engines send Origin on a CORS image upgraded from http to the page's own https origin",
    engines: ['chromium', 'firefox', 'webkit'],
    observed:
      "Measured here. An https page's `<img crossorigin>` of `http://a.test` is upgraded to `https://a.test`, the page's own origin, before main fetch decides the response tainting: the standard's request is then same-origin with basic tainting, and a GET in mode cors with basic tainting carries no Origin. Chromium, Firefox and WebKit all send `Origin: https://a.test` on the upgraded request (each decides the request's Origin before the upgrade), and all three load the image CORS-same-origin, as the standard does.",
    evidence: [`${SPEC}/#append-a-request-origin-header`, 'https://w3c.github.io/webappsec-mixed-content/#upgrade-algorithm'],
    differences: ['origin'],
    applies: (c) => {
      if (c.request.initiator?.kind !== 'img' || c.request.mode !== 'cors') return false;
      const page = new URL(c.request.page.origin);
      const target = new URL(c.request.url);
      return page.protocol === 'https:' && target.protocol === 'http:' && target.hostname === page.hostname && specOf(c)?.outcome === 'allowed';
    },
  },
];

export const KNOWN_DIVERGENCES: readonly DivergenceRule[] = [
  ...INITIATOR_RULES,
  ...LOAD_RULES,
  // Preflight cache ------------------------------------------------------------------------------
  // Before acah-wildcard-covers-authorization: the same WebKit behaviour, seen through the cache.
  {
    id: 'webkit-preflight-cache-wildcard-covers-authorization',
    families: ['preflight-cache/'],
    title: 'WebKit: a cached Access-Control-Allow-Headers: * entry serves a request with Authorization',
    engines: ['webkit'],
    observed:
      "The standard's header-name cache entry match never lets a `*` entry match Authorization, so the request needs its own preflight (which `*` then fails). WebKit's CrossOriginPreflightResultCacheItem::validateCrossOriginHeaders accepts any header under a `*` entry, so the request is sent from the cache with no preflight and succeeds.",
    evidence: [
      `${SPEC}/#concept-cache-match-header`,
      `${WEBKIT}/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp`,
      'https://github.com/whatwg/fetch/issues/1919',
    ],
    differences: ['outcome', 'preflight'],
    applies: (c) => !!c.request.prior?.length && methodIsSafelisted(c) && starWithoutAuthorization(c) && webkitCaches(c),
  },
  {
    id: 'acah-wildcard-covers-authorization',
    families: ['preflight/', 'preflight-cache/', 'credentials/', 'standard/', 'basics/'],
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
    applies: (c) => starWithoutAuthorization(c),
  },
  {
    id: 'negative-max-age-not-cached',
    families: ['preflight-cache/'],
    title: 'Access-Control-Max-Age: -1 is not cached (the standard falls back to 5 s)',
    engines: ['chromium', 'webkit'],
    observed:
      "A negative value is not delta-seconds, so the standard's max-age is the default 5 s and the entry serves the next request. Chromium's ParseAccessControlMaxAge turns a negative value into 0 (\"the entry cannot be cached\"); WebKit's parseAccessControlMaxAge parses it with parseInteger<int64_t> and sets an expiry time in the past. Both send a new preflight.",
    evidence: [
      `${SPEC}/#cors-preflight-fetch`,
      `${CHROMIUM}/services/network/cors/preflight_result.cc`,
      `${WEBKIT}/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp`,
    ],
    differences: ['preflight'],
    applies: (c) => negativeMaxAge(c) && cacheSparesPreflight(c),
  },
  {
    id: 'chromium-opaque-origin-preflight-not-reused',
    families: ['preflight-cache/'],
    title: 'Chromium: from a sandboxed (opaque-origin) document a cached preflight is never reused',
    engines: ['chromium'],
    observed:
      "Measured here; no upstream report found. From a sandboxed iframe (Origin: null) Chromium sends a new preflight for every request, whatever Access-Control-Max-Age says, where the standard's cache (keyed by the serialized origin \"null\" and the URL) serves it and Firefox and WebKit reuse the entry. Chromium's PreflightCache keys entries by the initiator url::Origin, URL, NetworkIsolationKey and target address space; for an opaque initiator the second request does not find the first one's entry.",
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
    families: ['preflight-cache/'],
    title: 'Firefox: an Access-Control-Max-Age with any non-digit is not cached at all',
    engines: ['firefox'],
    observed:
      'When Access-Control-Max-Age fails to parse as delta-seconds (or repeats), the standard uses the default 5 s. Firefox\'s nsCORSPreflightListener::AddResultToCache returns without caching as soon as the (combined) value has a byte outside 0-9: "-1", "+10", "1.5", "0x10", "10s", "abc" and two lines ("600, 600") all mean a new preflight next time.',
    evidence: [`${SPEC}/#cors-preflight-fetch`, `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`],
    differences: ['preflight'],
    applies: (c) => firefoxMaxAgeSeconds(preflightValue(c, 'Access-Control-Max-Age')) === 'not-cached' && cacheSparesPreflight(c),
  },
  {
    id: 'firefox-preflight-cache-method-wildcard-literal',
    families: ['preflight-cache/'],
    title: 'Firefox: a cached Access-Control-Allow-Methods: * does not cover another method',
    engines: ['firefox'],
    observed:
      'The standard stores `*` as a method cache entry that matches any method without credentials. Firefox accepts `*` in the preflight itself but its cache (nsPreflightCache::CacheEntry::CheckRequest) compares method tokens literally, so a DELETE after a PUT allowed by `*` sends a new preflight.',
    evidence: [`${SPEC}/#concept-cache-match-method`, `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`],
    differences: ['preflight'],
    applies: (c) => {
      // Firefox's cache compares method tokens byte for byte, so the request's own method
      // must be missing from the list for the `*` to matter.
      const allowed = preflightList(c, 'Access-Control-Allow-Methods');
      return (
        c.request.credentials !== 'include' &&
        !['GET', 'POST'].includes(c.request.method) &&
        allowed.includes('*') &&
        !allowed.includes(c.request.method) &&
        firefoxCaches(c) &&
        cacheSparesPreflight(c)
      );
    },
  },
  {
    id: 'firefox-preflight-cache-keyed-by-credentials',
    families: ['preflight-cache/'],
    title: 'Firefox: a credentialed preflight-cache entry does not serve an uncredentialed request',
    engines: ['firefox'],
    observed:
      "The standard's cache entry match lets an entry made with credentials serve a request without them. Firefox keys its preflight cache by (URL, principal, withCredentials), so a request with credentials omit after one with include finds no entry and sends a new preflight.",
    evidence: [`${SPEC}/#concept-cache-match`, `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`],
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
    families: ['preflight-cache/'],
    title: 'WebKit: a preflight that fails the method or header check still refreshes the cache',
    engines: ['webkit'],
    observed:
      "After a preflight-needing request fails, the standard clears the cache entries for that origin and URL, so the next request sends its own preflight. WebKit's validatePreflightResponse appends the preflight response to CrossOriginPreflightResultCache before it reports that the method or headers were not allowed, so the next request (a PUT that response allows) is sent from the cache.",
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
  ...preflightHandlingTwins({
    id: 'repeated-safelisted-header-combined',
    families: ['simple/headers/'],
    title: "Firefox: the user agent's own Accept is not counted toward the 1024-byte safelisted total",
    engines: ['firefox'],
    observed:
      "Eight 128-byte Accept-Language lines are 1024 bytes, the limit; the standard appends the user agent's Accept: */* before main fetch and counts it, so the CORS-safelisted values add up to 1027 bytes, every one of them is CORS-unsafe (accept and accept-language), and a GET needs a preflight. Chromium and WebKit send one (they also combine the repeated name into one value longer than 128 bytes, which is CORS-unsafe on its own). Firefox keeps no running total (InternalHeaders::GetUnsafeHeaders) and judges each line alone, so it sends none.",
    whenAllowed: 'with a server that would allow the preflight: Firefox sends none.',
    evidence: [`${SPEC}/#concept-fetch`, `${SPEC}/#cors-unsafe-request-header-names`, `${GECKO}/dom/fetch/InternalHeaders.cpp`],
    applies: unsafeOnlyWithUserAgentAccept,
  }),
  ...preflightHandlingTwins({
    id: 'firefox-no-safelist-total-size-limit',
    families: ['simple/headers/'],
    title: 'Firefox: no 1024-byte limit on the safelisted request-header values',
    engines: ['firefox'],
    observed:
      'When the CORS-safelisted request-header values add up to more than 1024 bytes, the standard makes all of them CORS-unsafe and requires a preflight. Firefox checks each header on its own (InternalHeaders::GetUnsafeHeaders keeps no running total) and sends the request without a preflight, so it succeeds where the standard fails it.',
    whenAllowed: 'with a server that would allow the preflight: Firefox sends none.',
    evidence: [`${SPEC}/#cors-unsafe-request-header-names`, `${GECKO}/dom/fetch/InternalHeaders.cpp`],
    applies: unsafeOnlyByTotalSize,
  }),
  ...preflightHandlingTwins({
    id: 'webkit-range-safelist-lenient',
    families: ['simple/headers/'],
    title: 'WebKit safelists Range: BYTES=0-10 and bytes=+0-10',
    engines: ['webkit'],
    observed:
      'The standard\'s "parse a single range header value" needs the literal lowercase "bytes" and ASCII digits only. WebKit\'s parseRange matches "bytes" ASCII case-insensitively and reads the numbers with parseInteger, which accepts a leading "+", so it sends these requests without a preflight.',
    whenAllowed: 'with a server that would allow the preflight: WebKit sends none.',
    evidence: [`${SPEC}/#simple-range-header-value`, `${WEBKIT}/Source/WebCore/platform/network/HTTPParsers.cpp`],
    applies: rangeOnlyWebkitSafelists,
  }),

  // Redirects -----------------------------------------------------------------------------------
  {
    id: 'chromium-blocks-credentialed-redirect-location',
    families: ['redirects/userinfo/'],
    title: 'Chromium: a redirect to a URL with userinfo fails even where the standard follows it',
    engines: ['chromium'],
    observed:
      "The standard rejects a Location with credentials only for a CORS request that is cross-origin or already CORS-tainted. Chromium blocks every fetch() redirect to a URL with a username or password, also same-origin ones and mode no-cors (Blink's FrameFetchContext::ShouldBlockFetchAsCredentialedSubresource blocks credentialed subresource URLs other than XMLHttpRequest). The page sees a TypeError.",
    evidence: [`${SPEC}/#http-redirect-fetch`, `${CHROMIUM}/third_party/blink/renderer/core/loader/frame_fetch_context.cc`],
    differences: ['outcome'],
    applies: (c) => credentialedLocationTheSpecFollows(c),
  },
  ...firstHopTwins(
    {
      id: 'firefox-authorization-redirect-still-preflighted',
      // Its last request is the first hop's, with the page origin, where the standard's is the
      // second hop's, redirect-tainted to "null".
      differences: ['outcome', 'origin'],
      families: ['redirects/authorization/'],
      title: 'Firefox: after a cross-origin redirect drops Authorization, the next hop still gets a preflight',
      engines: ['firefox'],
      observed:
        "The standard removes Authorization on a cross-origin redirect, so the next hop gets a request that needs no preflight. Firefox strips Authorization (and leaves it out of Access-Control-Request-Headers) but its CheckPreflightNeeded still forces a preflight from the load's original CorsUnsafeHeaders; a server without preflight handling then fails the request.",
      evidence: [
        `${SPEC}/#http-redirect-fetch`,
        `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`,
        'https://bugzilla.mozilla.org/show_bug.cgi?id=1874132',
      ],
      applies: authorizationDroppedOnCrossOriginRedirect,
    },
    {
      title: 'Firefox: a same-origin request with Authorization redirected cross-origin is preflighted',
      observed: 'the standard sends no preflight at all, Firefox sends one (with no Access-Control-Request-Headers) to the cross-origin hop and fails there.',
      evidence: [`${SPEC}/#http-redirect-fetch`, `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`],
    },
  ),
  ...firstHopTwins(
    {
      id: 'webkit-authorization-kept-on-cross-origin-redirect',
      // Its last request is the first hop's, with the page origin, where the standard's is the
      // second hop's, redirect-tainted to "null".
      differences: ['outcome', 'origin'],
      families: ['redirects/authorization/'],
      title: 'WebKit: Authorization survives a cross-origin redirect',
      engines: ['webkit'],
      note: 'Measured here; no upstream report found.',
      observed:
        'The standard removes Authorization when a redirect crosses origins. WebKit keeps it: the next hop receives a preflight with Access-Control-Request-Headers: authorization, which a server without preflight handling fails.',
      evidence: [`${SPEC}/#http-redirect-fetch`],
      applies: authorizationDroppedOnCrossOriginRedirect,
    },
    {
      title: 'WebKit: Authorization survives a redirect from a same-origin URL to another origin',
      observed: 'the standard sends no preflight at all; WebKit preflights the cross-origin hop for authorization and fails there.',
      evidence: [`${SPEC}/#http-redirect-fetch`],
    },
  ),
  {
    id: 'firefox-redirect-preflight-origin-not-null',
    families: ['redirects/preflight/'],
    title: 'Firefox: the preflight after a cross-origin redirect carries the page origin, not "null"',
    engines: ['firefox'],
    observed:
      'Once a request is redirect-tainted, the standard serializes its origin as "null", also for the preflight at the next hop, so Access-Control-Allow-Origin: null passes. Firefox builds the preflight from the load\'s loading principal (nsCORSListenerProxy::StartCORSPreflight), so it sends the page origin and Access-Control-Allow-Origin: null fails; the actual request after it does carry Origin: null.',
    evidence: [`${SPEC}/#serializing-a-request-origin`, `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`],
    // Its last request is then the first hop's, which carries the page origin, not the second hop's "null".
    differences: ['outcome', 'origin'],
    applies: (c) => taintedPreflightAllowsOnlyNull(c),
  },
  {
    id: 'firefox-redirect-preflight-origin-not-null-page-allowed',
    families: ['redirects/preflight/'],
    title: 'Firefox: a tainted preflight answered for the page origin passes, and the actual request after it is sent',
    engines: ['firefox'],
    observed:
      "As firefox-redirect-preflight-origin-not-null, where the second hop's preflight answer allows the page origin: the standard's preflight carries \"null\" and fails, so the last request the server sees is the first hop's (with the page origin). Firefox's preflight carries the page origin and passes, and its actual request to the second hop goes out with Origin: null, whose CORS check then fails: the outcome is the same, the last Origin the server sees is not.",
    evidence: [`${SPEC}/#serializing-a-request-origin`, `${GECKO}/netwerk/protocol/http/nsCORSListenerProxy.cpp`],
    differences: ['origin'],
    applies: (c) => taintedPreflightAllowsPage(c),
  },
  ...ORIGIN_RULES,
];
