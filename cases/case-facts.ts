// Facts about a case that the known-divergence rules share: what the page asks, what the
// fixture answers, and what the spec model predicts. Reading headers and every CORS rule
// (origins, preflight, the request fetch() builds) go through the oracle, so a rule and the
// spec model can never read a case two ways.
import type { CorsCase, Header, PriorRequest, ResponseRecipe } from '../model/case.ts';
import { redirectTarget } from '../model/case.ts';
import type { SpecExpectation } from '../model/results.ts';
import {
  constructRequest,
  determineNosniff,
  evaluate,
  getHeader,
  headerListContains,
  headerValues,
  isCorsSafelistedMethod,
  listedTokens,
  normalizeMethod,
  OracleCaseError,
  responseMimeEssence,
} from '../oracle/index.ts';

// --- The request -------------------------------------------------------------------------------

export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The origin of the document that makes the request: the page's, or null for an
 *  opaque-origin document. */
export function requestingOrigin(c: CorsCase): string | null {
  return c.request.page.opaque ? null : originOf(c.request.page.origin);
}

/** The first request goes to the page's own origin (an opaque-origin page has none). */
export function firstHopIsSameOrigin(c: CorsCase): boolean {
  const page = requestingOrigin(c);
  return page !== null && page === originOf(c.request.url);
}

/** The header list fetch() sends, or null when fetch() refuses the request. */
export function sentHeaders(c: CorsCase): Header[] | null {
  const built = constructRequest({ method: c.request.method, headers: c.request.headers, body: c.request.body, mode: c.request.mode });
  return built.ok ? built.headers : null;
}

/** The page set a header of this name (matched byte-case-insensitively). */
export function requestHas(c: CorsCase, name: string): boolean {
  return headerListContains(c.request.headers, name);
}

/** The method, once normalized, is CORS-safelisted: it needs no preflight on its own. */
export function methodIsSafelisted(c: CorsCase): boolean {
  return isCorsSafelistedMethod(normalizeMethod(c.request.method));
}

/**
 * One cross-origin CORS request, measured alone: no prior requests, the default redirect
 * mode, and no redirect, so the only thing that varies is what the first hop is asked.
 */
export function plainCorsRequest(c: CorsCase): boolean {
  return c.request.mode === 'cors' && !c.request.prior?.length && !c.request.redirect && !firstHopIsSameOrigin(c) && !c.response.actual.redirect;
}

/** Milliseconds between the first prior request and the measured one. */
export function totalWaitMs(c: CorsCase): number {
  return (c.request.prior ?? []).reduce((sum, p) => sum + p.waitMs, 0);
}

// --- The response ------------------------------------------------------------------------------

/** The first hop's redirect, with the URL it sends the request to. */
export function firstRedirect(c: CorsCase): { recipe: ResponseRecipe; location: URL } | null {
  const recipe = c.response.actual;
  if (!recipe.redirect) return null;
  try {
    return { recipe, location: redirectTarget(new URL(c.request.url), recipe.redirect) };
  } catch {
    return null;
  }
}

/** The response the request ends at (the last redirect hop's, or the first's), and its URL. */
export function finalResponse(c: CorsCase): { recipe: ResponseRecipe; url: URL } {
  let recipe = c.response.actual;
  let url = new URL(c.request.url);
  while (recipe.redirect) {
    url = redirectTarget(url, recipe.redirect);
    recipe = recipe.redirect.next.actual;
  }
  return { recipe, url };
}

/** The final response's MIME type essence as the spec model reads it (null: none that parses,
 *  or no Content-Type line at all), and whether it says nosniff. */
export function finalType(c: CorsCase): { essence: string | null; nosniff: boolean } {
  const { recipe } = finalResponse(c);
  return {
    essence: responseMimeEssence({ headers: recipe.headers, asset: recipe.asset ?? null, omitContentType: recipe.omitContentType === true }),
    nosniff: determineNosniff(recipe.headers),
  };
}

/** The final response is on another origin than the page's (an opaque-origin page has none). */
export function finalIsCrossOrigin(c: CorsCase): boolean {
  const page = requestingOrigin(c);
  return page === null || page !== finalResponse(c).url.origin;
}

/** Every line of a preflight-answer header, as the fixture sends them. */
export function preflightValues(c: CorsCase, name: string): string[] {
  return headerValues(c.response.preflight?.headers ?? [], name);
}

/** A preflight-answer header as "get" reads it: the lines joined with ", ", null when absent. */
export function preflightValue(c: CorsCase, name: string): string | null {
  return getHeader(c.response.preflight?.headers ?? [], name);
}

/** The tokens of a `#token` list header in the preflight answer; none when absent or unparsable. */
export function preflightList(c: CorsCase, name: string): string[] {
  return listedTokens(c.response.preflight?.headers ?? [], name);
}

// --- What the spec model says ------------------------------------------------------------------

const specMemo = new WeakMap<CorsCase, SpecExpectation | null>();

/** The spec model's expectation; null for a case it refuses (OracleCaseError). */
export function specOf(c: CorsCase): SpecExpectation | null {
  if (!specMemo.has(c)) {
    let spec: SpecExpectation | null = null;
    try {
      spec = evaluate(c);
    } catch (err) {
      // A case the model refuses (one no page could make) has no expectation; anything else
      // is a bug, and must not pass for "the rule does not apply".
      if (!(err instanceof OracleCaseError)) throw err;
    }
    specMemo.set(c, spec);
  }
  return specMemo.get(c) ?? null;
}

/** The same case with other prior requests (none: the measured request alone). */
export function withPrior(c: CorsCase, prior: PriorRequest[]): CorsCase {
  return { ...c, request: { ...c.request, prior } };
}

/**
 * The standard serves the measured request from the CORS-preflight cache: on its own it
 * needs a preflight, after the prior requests it does not.
 */
export function cacheSparesPreflight(c: CorsCase): boolean {
  if (!c.request.prior?.length) return false;
  const spec = specOf(c);
  const alone = specOf(withPrior(c, []));
  return spec !== null && alone !== null && !spec.preflight && alone.preflight;
}
