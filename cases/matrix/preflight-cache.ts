// The CORS-preflight cache (§4.9) and Access-Control-Max-Age (§3.3.4 delta-seconds, §4.8
// "5 by default"): whether a second request to the same URL sends its own preflight
// (WPT cors/preflight-cache.htm, cors-preflight-cache.any.js). Engines cap max-age
// (WebKit 600, Chromium 7200, Firefox 86400 s) and parse it differently (cases/engine-models.ts);
// a value above a cap must still be cached. Waiting costs run time, so only the expiry
// block waits (≤ 6.5 s, a couple of dozen cases); the rest send the second request at once.
import type { Credentials, Header, PriorRequest } from '../../model/case.ts';
import { H, bodyForMethod, factor, ok, pick, requestOrigin, route, val, type Block, type CaseParts, type Route } from './shared.ts';

const MAX_AGE: Record<string, string[]> = {
  absent: [],
  '0': ['0'],
  // No 1: the second request, sent "at once", can still land a second later on a busy
  // machine. One second is measured by the expiry block, with a wait on either side of it.
  '5': ['5'],
  '600': ['600'],
  '601': ['601'],
  '7200': ['7200'],
  '7201': ['7201'],
  '86400': ['86400'],
  '86401': ['86401'],
  '2e31': ['2147483648'],
  huge: ['99999999999999999999'],
  negative: ['-1'],
  word: ['abc'],
  unit: ['10s'],
  plus: ['+10'],
  fraction: ['1.5'],
  hex: ['0x10'],
  'two-lines': ['600', '600'],
  empty: [''],
};

interface Relation {
  says: string;
  method: string;
  headers: Header[];
  credentials: Credentials;
  prior: Omit<PriorRequest, 'waitMs'>[];
  allowMethods: string;
  allowHeaders?: string;
}

const AUTH: Header = ['Authorization', 'Bearer token'];

/** How the measured request relates to the prior one(s) sent to the same URL. */
const RELATIONS: Record<string, Relation> = {
  same: { says: 'the same PUT again', method: 'PUT', headers: [], credentials: 'omit', prior: [{}], allowMethods: 'PUT' },
  'method-star': {
    says: 'a DELETE after a PUT, both allowed by Access-Control-Allow-Methods: *',
    method: 'DELETE',
    headers: [],
    credentials: 'omit',
    prior: [{ method: 'PUT' }],
    allowMethods: '*',
  },
  'other-method': {
    says: 'a DELETE after a PUT, both listed',
    method: 'DELETE',
    headers: [],
    credentials: 'omit',
    prior: [{ method: 'PUT' }],
    allowMethods: 'PUT, DELETE',
  },
  'method-case': {
    says: 'a PATCH after a patch allowed as "patch" (methods match byte for byte)',
    method: 'PATCH',
    headers: [],
    credentials: 'omit',
    prior: [{ method: 'patch' }],
    allowMethods: 'patch',
  },
  'header-subset': {
    says: 'a GET with X-B after a GET with X-A, both listed',
    method: 'GET',
    headers: [['X-B', 'b']],
    credentials: 'omit',
    prior: [{ headers: [['X-A', 'a']] }],
    allowMethods: 'GET',
    allowHeaders: 'X-A, X-B',
  },
  'header-case': {
    says: 'a GET with X-CUSTOM after one with x-custom (header names match case-insensitively)',
    method: 'GET',
    headers: [['X-CUSTOM', 'b']],
    credentials: 'omit',
    prior: [{ headers: [['x-custom', 'a']] }],
    allowMethods: 'GET',
    allowHeaders: 'x-custom',
  },
  // WPT cors-preflight-cache.any.js: a `*` entry never matches Authorization (see the known divergence on it in cases/divergences.ts).
  'header-star-auth': {
    says: 'a GET with Authorization after a GET with X-A, under Access-Control-Allow-Headers: *',
    method: 'GET',
    headers: [AUTH],
    credentials: 'omit',
    prior: [{ headers: [['X-A', 'a']] }],
    allowMethods: 'GET',
    allowHeaders: '*',
  },
  'header-auth-explicit': {
    says: 'a GET with Authorization again, listed explicitly',
    method: 'GET',
    headers: [AUTH],
    credentials: 'omit',
    prior: [{}],
    allowMethods: 'GET',
    allowHeaders: 'Authorization',
  },
  // A credentialed entry serves uncredentialed requests, not the reverse (§4.9 cache entry match).
  'cred-upgrade': {
    says: "a PUT with credentials include after one with 'omit'",
    method: 'PUT',
    headers: [],
    credentials: 'include',
    prior: [{ credentials: 'omit' }],
    allowMethods: 'PUT',
  },
  'cred-downgrade': {
    says: "a PUT with credentials omit after one with 'include'",
    method: 'PUT',
    headers: [],
    credentials: 'omit',
    prior: [{ credentials: 'include' }],
    allowMethods: 'PUT',
  },
  // §4.1 main fetch: a network error after a preflight-needing request clears the entries.
  'cleared-by-failure': {
    says: 'a PUT after a PUT and then a failed PUT with a header the server does not allow',
    method: 'PUT',
    headers: [],
    credentials: 'omit',
    prior: [{}, { headers: [['X-Not-Allowed', '1']] }],
    allowMethods: 'PUT',
  },
};

function relationCase(rel: Relation, r: Route, maxAge: string[], waitMs: number): Pick<CaseParts, 'request' | 'response'> {
  const sent = requestOrigin(r);
  // Credentials appear in some requests of a relation: answer for them everywhere.
  const credentialed = rel.credentials === 'include' || rel.prior.some((p) => p.credentials === 'include');
  const cors: Header[] = [H.acao(sent), ...(credentialed ? [H.acac('true')] : [])];
  const pf: Header[] = [...cors, H.acam(rel.allowMethods), ...(rel.allowHeaders ? [H.acah(rel.allowHeaders)] : []), ...maxAge.map(H.acma)];
  return {
    request: {
      method: rel.method,
      headers: rel.headers,
      body: bodyForMethod(rel.method),
      credentials: rel.credentials,
      mode: 'cors',
      prior: rel.prior.map((p) => ({ ...p, waitMs })),
    },
    response: { preflight: { status: 204, headers: pf }, actual: ok(cors) },
  };
}

const maxAgeSays = (lines: string[]): string =>
  lines.length === 0 ? 'no Access-Control-Max-Age' : `Access-Control-Max-Age ${lines.map((l) => `"${l}"`).join(' and ')}`;

const reuseBlock: Block = {
  topic: 'preflight-cache',
  name: 'reuse',
  exhaustive: [factor('max-age', Object.keys(MAX_AGE)), factor('then', Object.keys(RELATIONS))],
  pairwise: [factor('route', ['cross-site', 'same-site', 'https-cross-site', 'sandbox'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const rel = pick(RELATIONS, val(row, 'then'), 'relation');
    const maxAge = pick(MAX_AGE, val(row, 'max-age'), 'max-age');
    const { request, response } = relationCase(rel, r, maxAge, 0);
    return {
      title: `Right after a preflight answered with ${maxAgeSays(maxAge)}, ${rel.says} to ${r.says}: is the cached preflight reused?`,
      route: r,
      request,
      response,
    };
  },
};

/** Max-age and how long to wait before the measured request: each side of expiry. */
const EXPIRY: Record<string, { maxAge: string[]; waitMs: number }> = {
  'max1-wait1500': { maxAge: ['1'], waitMs: 1500 },
  'max3-wait1500': { maxAge: ['3'], waitMs: 1500 },
  'max5-wait6000': { maxAge: ['5'], waitMs: 6000 },
  'max10-wait6000': { maxAge: ['10'], waitMs: 6000 },
  'absent-wait3000': { maxAge: [], waitMs: 3000 },
  'absent-wait6000': { maxAge: [], waitMs: 6000 },
  'word-wait6000': { maxAge: ['abc'], waitMs: 6000 },
};

const expiryBlock: Block = {
  topic: 'preflight-cache',
  name: 'expiry',
  exhaustive: [factor('timing', Object.keys(EXPIRY)), factor('then', ['same', 'other-method', 'cred-downgrade'])],
  pairwise: [factor('route', ['cross-site', 'same-site'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const rel = pick(RELATIONS, val(row, 'then'), 'relation');
    const timing = pick(EXPIRY, val(row, 'timing'), 'timing');
    const { request, response } = relationCase(rel, r, timing.maxAge, timing.waitMs);
    return {
      title: `${timing.waitMs} ms after a preflight answered with ${maxAgeSays(timing.maxAge)}, ${rel.says} to ${r.says}: has the cache entry expired?`,
      route: r,
      request,
      response,
    };
  },
};

export const PREFLIGHT_CACHE_BLOCKS: Block[] = [reuseBlock, expiryBlock];
