// What a page can read of a CORS response (§4.1 main fetch, CORS-exposed header-name list;
// §2.2.6 CORS filtered response): the CORS-safelisted response-header names, plus what
// Access-Control-Expose-Headers lists; `*` exposes everything only without credentials
// "include"; Set-Cookie never (WPT cors-filtering, cors-expose-star,
// cors/access-control-expose-headers-parsing).
import type { Header } from '../../model/case.ts';
import type { Assignment } from './pairwise.ts';
import {
  H,
  acaoLines,
  bodyForMethod,
  credentialsOf,
  factor,
  ok,
  pick,
  preflightAllowing,
  requestOrigin,
  route,
  val,
  type Block,
  allowCredentials,
  allowOrigin,
} from './shared.ts';

/** Every response carries all of these, so each case reads the whole picture at once. */
const RESPONSE_HEADERS: Header[] = [
  ['Content-Type', 'text/plain'],
  ['Content-Language', 'en'],
  ['Expires', 'Thu, 01 Jan 2037 00:00:00 GMT'],
  ['Last-Modified', 'Thu, 01 Jan 2015 00:00:00 GMT'],
  ['Pragma', 'no-cache'],
  ['Cache-Control', 'no-store'],
  ['X-Custom', 'custom'],
  ['X-Other', 'other'],
  ['Age', '0'],
  ['Server', 'cors-conformance'],
  ['Set-Cookie', 'cc_exposed=1; Path=/m; SameSite=Lax'],
  // A header literally named `*`: with credentials, an ACEH `*` exposes only this one.
  ['*', 'star'],
];

const READ = RESPONSE_HEADERS.map(([n]) => n.toLowerCase());

const ACEH: Record<string, string[]> = {
  absent: [],
  star: ['*'],
  custom: ['X-Custom'],
  'custom-lower': ['x-custom'],
  'custom-upper': ['X-CUSTOM'],
  two: ['X-Custom, X-Other'],
  'two-lines': ['X-Custom', 'X-Other'],
  'star-and-custom': ['*, X-Custom'],
  'set-cookie': ['Set-Cookie'],
  'set-cookie-and-star': ['set-cookie, *'],
  'age-server': ['Age, Server'],
  'empty-element': [', X-Custom'],
  'trailing-comma': ['X-Custom,'],
  'double-comma': ['X-Custom,,X-Other'],
  quoted: ['"X-Custom"'],
  spaces: [' X-Custom ,  X-Other '],
  'space-separated': ['X-Custom X-Other'],
  'empty-first-line': ['', 'X-Custom'],
};

const includeNeedsEcho = (row: Readonly<Assignment>): boolean => !(row.cred === 'include' && row.acao === 'star');

const listBlock: Block = {
  topic: 'exposure',
  name: 'list',
  exhaustive: [factor('cred', ['omit', 'same-origin', 'include']), factor('aceh', Object.keys(ACEH))],
  pairwise: [
    factor('route', ['cross-site', 'same-site', 'http-to-https', 'https-cross-site', 'https-same-site', 'sandbox', 'data', 'same-origin']),
    factor('acao', ['echo', 'star']),
    factor('method', ['GET', 'HEAD', 'POST']),
    factor('preflight', ['no', 'yes']),
    factor('status', ['200', '404']),
  ],
  allowed: includeNeedsEcho,
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    const method = val(row, 'method');
    const sent = requestOrigin(r);
    const headers: Header[] = val(row, 'preflight') === 'yes' ? [['X-Custom-Header', 'v']] : [];
    const aceh = pick(ACEH, val(row, 'aceh'), 'ACEH form');
    const actual: Header[] = [...acaoLines(val(row, 'acao'), r.page.origin, sent), ...allowCredentials(credentials), ...aceh.map(H.aceh), ...RESPONSE_HEADERS];
    return {
      title: `Which response headers a ${method}${headers.length ? ' with a custom header' : ''} with credentials ${credentials} to ${r.says} can read when Access-Control-Expose-Headers is ${aceh.length === 0 ? 'absent' : aceh.map((l) => `"${l}"`).join(' then ')}.`,
      route: r,
      request: { method, headers, body: bodyForMethod(method), credentials, mode: 'cors', readHeaders: READ },
      response: {
        preflight: headers.length ? preflightAllowing({ origin: sent, method, headers, credentials }) : null,
        actual: ok(actual, Number(val(row, 'status'))),
      },
    };
  },
};

/** One response header at a time, read alone (WPT cors-filtering's one-header-per-test form). */
const SINGLE: Record<string, Header> = Object.fromEntries(RESPONSE_HEADERS.map((h) => [h[0].toLowerCase() === '*' ? 'star-named' : h[0].toLowerCase(), h]));

const SINGLE_ACEH: Record<string, (name: string) => string | null> = {
  absent: () => null,
  star: () => '*',
  exact: (n) => n,
  lower: (n) => n.toLowerCase(),
};

const singleBlock: Block = {
  topic: 'exposure',
  name: 'single',
  exhaustive: [factor('header', Object.keys(SINGLE)), factor('aceh', Object.keys(SINGLE_ACEH)), factor('cred', ['omit', 'include'])],
  pairwise: [factor('route', ['cross-site', 'same-site', 'https-cross-site', 'sandbox'])],
  build: (row) => {
    const r = route(val(row, 'route'));
    const credentials = credentialsOf(val(row, 'cred'));
    const header = pick(SINGLE, val(row, 'header'), 'response header');
    const aceh = pick(SINGLE_ACEH, val(row, 'aceh'), 'ACEH form')(header[0]);
    const actual: Header[] = [...allowOrigin(requestOrigin(r), credentials), ...(aceh === null ? [] : [H.aceh(aceh)]), header];
    return {
      title: `Whether ${header[0]} is readable from ${r.says} with credentials ${credentials} when Access-Control-Expose-Headers is ${aceh === null ? 'absent' : `"${aceh}"`}.`,
      route: r,
      request: { method: 'GET', headers: [], body: null, credentials, mode: 'cors', readHeaders: [header[0].toLowerCase()] },
      response: { preflight: null, actual: ok(actual) },
    };
  },
};

export const EXPOSURE_BLOCKS: Block[] = [listBlock, singleBlock];
