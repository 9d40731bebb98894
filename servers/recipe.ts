// The URL carries the whole response recipe (the web-platform-tests way): reading a fixture
// URL tells you exactly what the fixture server answers. This module is the one place that
// writes and reads that encoding.
//
//   status=200                        actual response status
//   header=Name:value                 an actual response header line (repeatable, in order)
//   body=text                         actual response body
//   asset=png                         actual response body from servers/assets.ts (model/case.ts ASSETS)
//   nocontenttype=1                   no Content-Type line at all, not even the asset's
//   location=URL                      Location of a 3xx actual response
//   preflight.status / preflight.header / preflight.body / preflight.location
//                                     the same for a CORS-preflight request
//   cc_probe=T                        the probe's token (model/wire.ts), in every hop
//
// No preflight.status means the server has no preflight handling (404, no CORS headers).
import { ASSETS, redirectTarget, type Asset, type CaseResponse, type Header, type ResponseRecipe } from '../model/case.ts';
import { PROBE_TOKEN_PARAM } from '../model/wire.ts';
import { UserError } from '../model/errors.ts';

/** The fixture's answer to one kind of request, with redirects already resolved to a URL. */
export interface WireRecipe {
  status: number;
  headers: Header[];
  body: string;
  asset: Asset | null;
  /** Send no Content-Type line, not even the asset's. */
  omitContentType: boolean;
  location: string | null;
}

export interface WireResponse {
  preflight: WireRecipe | null;
  actual: WireRecipe;
}

export class RecipeError extends UserError {}

function appendRecipe(params: URLSearchParams, prefix: '' | 'preflight.', recipe: ResponseRecipe, url: URL, token: string | undefined): void {
  params.append(`${prefix}status`, String(recipe.status));
  for (const [name, value] of recipe.headers) params.append(`${prefix}header`, `${name}:${value}`);
  if (recipe.body !== undefined) params.append(`${prefix}body`, recipe.body);
  if (recipe.asset !== undefined) params.append(`${prefix}asset`, recipe.asset);
  if (recipe.omitContentType) params.append(`${prefix}nocontenttype`, '1');
  if (recipe.redirect) {
    const next = redirectTarget(url, recipe.redirect);
    params.append(`${prefix}location`, fixtureUrl(next.href, recipe.redirect.next, token));
  }
}

/**
 * The fixture URL for a target URL (origin plus path) and a response recipe.
 * Without a token the URL is the case's stable, reproducible form.
 */
export function fixtureUrl(target: string, response: CaseResponse, token?: string): string {
  const url = new URL(target);
  const params = new URLSearchParams();
  if (token !== undefined) params.set(PROBE_TOKEN_PARAM, token);
  appendRecipe(params, '', response.actual, url, token);
  if (response.preflight) appendRecipe(params, 'preflight.', response.preflight, url, token);
  url.search = params.toString();
  return url.href;
}

/** Puts a token into a fixture URL, and into every redirect hop it contains. */
export function withToken(href: string, token: string): string {
  const url = new URL(href);
  const params = url.searchParams;
  params.set(PROBE_TOKEN_PARAM, token);
  for (const key of ['location', 'preflight.location']) {
    const loc = params.get(key);
    if (loc !== null) params.set(key, withToken(loc, token));
  }
  return url.href;
}

function parseStatus(raw: string | null, field: string): number {
  if (raw === null) return 200;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100 || n > 999) {
    throw new RecipeError(`${field}=${raw} is not an HTTP status: use an integer from 100 to 999`);
  }
  return n;
}

function parseAsset(raw: string | null, field: string): Asset | null {
  if (raw === null) return null;
  const asset = ASSETS.find((a) => a === raw);
  if (!asset) throw new RecipeError(`${field}=${raw} is not an asset: use one of ${ASSETS.join(', ')}`);
  return asset;
}

function parseRecipe(params: URLSearchParams, prefix: '' | 'preflight.'): WireRecipe {
  const headers: Header[] = params.getAll(`${prefix}header`).map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new RecipeError(`${prefix}header=${line} has no name: write it as Name:value`);
    }
    return [line.slice(0, colon), line.slice(colon + 1)];
  });
  return {
    status: parseStatus(params.get(`${prefix}status`), `${prefix}status`),
    headers,
    body: params.get(`${prefix}body`) ?? '',
    asset: parseAsset(params.get(`${prefix}asset`), `${prefix}asset`),
    omitContentType: params.get(`${prefix}nocontenttype`) === '1',
    location: params.get(`${prefix}location`),
  };
}

/** Reads the recipe back from a request's query string. */
export function parseWireResponse(params: URLSearchParams): WireResponse {
  return {
    actual: parseRecipe(params, ''),
    preflight: params.has('preflight.status') ? parseRecipe(params, 'preflight.') : null,
  };
}
