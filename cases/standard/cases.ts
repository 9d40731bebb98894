// The Fetch standard's own examples, adapted to our virtual origins: the §3.3.5 "CORS
// protocol and credentials" table (https://rabbit.invalid becomes the page origin), the
// §3.3.6 "CORS protocol examples" (foo.invalid is the page, bar.invalid the API), and the
// notes of §4.10 "CORS check" on several Access-Control-Allow-Origin lines and on `null`.
// Hand-written, so each states the rule it teaches (`taught`), like suites/basics.
import type { CaseResponse, CorsCase, Credentials, Header, PageContext, TaughtExpectation, Topic } from '../../model/case.ts';
import { ORIGINS } from '../../model/origins.ts';

const PAGE = ORIGINS.page;
/** Same site as the page, so the credentialed rows' cookie is not a third-party question. */
const API = ORIGINS.sameSite;

const acao = (v: string): Header => ['Access-Control-Allow-Origin', v];
const acac = (v: string): Header => ['Access-Control-Allow-Credentials', v];

interface Spec {
  id: string;
  group: Topic;
  title: string;
  page?: PageContext;
  target?: string;
  method?: string;
  headers?: Header[];
  body?: string;
  credentials?: Credentials;
  withCookie?: boolean;
  readHeaders?: string[];
  prior?: CorsCase['request']['prior'];
  response: CaseResponse;
  taught: TaughtExpectation;
}

function example(s: Spec): CorsCase {
  const target = s.target ?? API;
  return {
    id: `standard/${s.id}`,
    group: s.group,
    title: s.title,
    request: {
      page: s.page ?? { origin: PAGE },
      url: `${target}/m/standard/${s.id}`,
      method: s.method ?? 'GET',
      headers: s.headers ?? [],
      body: s.body ?? null,
      credentials: s.credentials ?? 'omit',
      mode: 'cors',
      ...(s.withCookie ? { withCookie: true } : {}),
      ...(s.readHeaders ? { readHeaders: s.readHeaders } : {}),
      ...(s.prior ? { prior: s.prior } : {}),
    },
    response: s.response,
    taught: s.taught,
  };
}

const simple = (headers: Header[]): CaseResponse => ({ preflight: null, actual: { status: 200, headers, body: 'ok' } });

/** §3.3.5: request's credentials mode, ACAO, ACAC → shared or not. */
const CREDENTIALS_TABLE: Array<{ id: string; credentials: Credentials; origin: string; credentialsHeader: string | null; shared: boolean }> = [
  { id: 'omit-star', credentials: 'omit', origin: '*', credentialsHeader: null, shared: true },
  { id: 'omit-star-acac', credentials: 'omit', origin: '*', credentialsHeader: 'true', shared: true },
  { id: 'omit-trailing-slash', credentials: 'omit', origin: `${PAGE}/`, credentialsHeader: null, shared: false },
  { id: 'omit-origin', credentials: 'omit', origin: PAGE, credentialsHeader: null, shared: true },
  { id: 'include-star', credentials: 'include', origin: '*', credentialsHeader: 'true', shared: false },
  { id: 'include-origin', credentials: 'include', origin: PAGE, credentialsHeader: 'true', shared: true },
  { id: 'include-origin-title-case', credentials: 'include', origin: PAGE, credentialsHeader: 'True', shared: false },
];

const cases: CorsCase[] = [
  ...CREDENTIALS_TABLE.map((row) =>
    example({
      id: `credentials-table/${row.id}`,
      group: 'credentials',
      title: `§3.3.5 table: credentials ${row.credentials}, Access-Control-Allow-Origin "${row.origin}"${row.credentialsHeader ? `, Access-Control-Allow-Credentials "${row.credentialsHeader}"` : ''} — ${row.shared ? 'shared' : 'not shared'}.`,
      credentials: row.credentials,
      withCookie: row.credentials === 'include',
      response: simple([acao(row.origin), ...(row.credentialsHeader ? [acac(row.credentialsHeader)] : [])]),
      taught: { outcome: row.shared ? 'allowed' : 'blocked', preflight: false, ...(row.credentials === 'include' ? { cookieSent: true } : {}) },
    }),
  ),

  // §3.3.6: a resource meant for everyone says `*`, and a simple GET needs no preflight.
  example({
    id: 'examples/public-resource',
    group: 'simple',
    title: '§3.3.6: a public resource with Access-Control-Allow-Origin: * is readable by a cross-site page without a preflight.',
    target: ORIGINS.crossSite,
    response: simple([acao('*')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  // §3.3.6: with credentials, `*` no longer works; the origin and ACAC: true are needed.
  example({
    id: 'examples/credentialed-star',
    group: 'credentials',
    title: "§3.3.6: fetch(url, {credentials: 'include'}) against Access-Control-Allow-Origin: * fails even though the cookie is sent.",
    credentials: 'include',
    withCookie: true,
    response: simple([acao('*')]),
    taught: { outcome: 'blocked', preflight: false, cookieSent: true },
  }),
  example({
    id: 'examples/credentialed-origin',
    group: 'credentials',
    title: "§3.3.6: fetch(url, {credentials: 'include'}) succeeds with the page's origin and Access-Control-Allow-Credentials: true.",
    credentials: 'include',
    withCookie: true,
    response: simple([acao(PAGE), acac('true')]),
    taught: { outcome: 'allowed', preflight: false, cookieSent: true },
  }),
  // §3.3.6: reading a response header needs Access-Control-Expose-Headers.
  example({
    id: 'examples/expose-header',
    group: 'exposure',
    title: '§3.3.6: a response header is readable only once Access-Control-Expose-Headers lists it.',
    target: ORIGINS.crossSite,
    readHeaders: ['x-stuff', 'x-hidden', 'content-type'],
    response: simple([acao('*'), ['Access-Control-Expose-Headers', 'X-Stuff'], ['X-Stuff', 'stuff'], ['X-Hidden', 'hidden'], ['Content-Type', 'text/plain']]),
    taught: { outcome: 'allowed', preflight: false, readable: ['x-stuff', 'content-type'], hidden: ['x-hidden'] },
  }),
  // §3.3.6: a non-safelisted Content-Type makes a preflight; the server allows the header.
  example({
    id: 'examples/json-preflight',
    group: 'preflight',
    title: '§3.3.6: a POST with Content-Type: application/json sends a preflight that Access-Control-Allow-Headers: Content-Type answers.',
    target: ORIGINS.crossSite,
    method: 'POST',
    headers: [['Content-Type', 'application/json']],
    body: '{"a":1}',
    response: {
      preflight: { status: 204, headers: [acao(PAGE), ['Access-Control-Allow-Headers', 'Content-Type']] },
      actual: { status: 200, headers: [acao(PAGE)], body: 'ok' },
    },
    taught: { outcome: 'allowed', preflight: true, requestHeadersSeen: 'content-type' },
  }),
  example({
    id: 'examples/json-preflight-refused',
    group: 'preflight',
    title: '§3.3.6: the same POST fails when the preflight answer does not list Content-Type.',
    target: ORIGINS.crossSite,
    method: 'POST',
    headers: [['Content-Type', 'application/json']],
    body: '{"a":1}',
    response: {
      preflight: { status: 204, headers: [acao(PAGE)] },
      actual: { status: 200, headers: [acao(PAGE)], body: 'ok' },
    },
    taught: { outcome: 'blocked', preflight: true, requestHeadersSeen: 'content-type' },
  }),
  // §3.3.6: a credentialed preflight needs ACAC on the preflight answer too.
  example({
    id: 'examples/credentialed-preflight-without-acac',
    group: 'credentials',
    title: '§3.3.3 and §3.3.6: a credentialed PUT fails when only the actual response, not the preflight answer, says Access-Control-Allow-Credentials: true.',
    method: 'PUT',
    body: 'x',
    credentials: 'include',
    response: {
      preflight: { status: 204, headers: [acao(PAGE), ['Access-Control-Allow-Methods', 'PUT']] },
      actual: { status: 200, headers: [acao(PAGE), acac('true')], body: 'ok' },
    },
    taught: { outcome: 'blocked', preflight: true, requestMethodSeen: 'PUT' },
  }),
  // §3.3.3: Access-Control-Max-Age; a second request within it needs no preflight.
  example({
    id: 'examples/max-age-reuse',
    group: 'preflight-cache',
    title: '§3.3.3: after a preflight answered with Access-Control-Max-Age: 86400, the same PUT right away sends no preflight.',
    target: ORIGINS.crossSite,
    method: 'PUT',
    body: 'x',
    prior: [{ waitMs: 0 }],
    response: {
      preflight: { status: 204, headers: [acao(PAGE), ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', '86400']] },
      actual: { status: 200, headers: [acao(PAGE)], body: 'ok' },
    },
    taught: { outcome: 'allowed', preflight: false },
  }),

  // §4.10 notes: "get" combines several Access-Control-Allow-Origin lines, so they never match.
  example({
    id: 'cors-check/two-stars',
    group: 'origins',
    title: '§4.10: two Access-Control-Allow-Origin: * lines combine to "*, *", which fails the CORS check.',
    target: ORIGINS.crossSite,
    response: simple([acao('*'), acao('*')]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  example({
    id: 'cors-check/origin-twice',
    group: 'origins',
    title: "§4.10: the page's origin on two lines fails the CORS check, even though each line alone would pass.",
    target: ORIGINS.crossSite,
    response: simple([acao(PAGE), acao(PAGE)]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  example({
    id: 'cors-check/origin-and-other',
    group: 'origins',
    title: "§4.10: Access-Control-Allow-Origin listing the page's origin and another fails the CORS check.",
    target: ORIGINS.crossSite,
    response: simple([acao(`${PAGE}, ${ORIGINS.other}`)]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  // §4.10: "Null is not `null`": an absent header is not the string "null" an opaque origin sends.
  example({
    id: 'cors-check/opaque-absent',
    group: 'origins',
    title: '§4.10: from an opaque origin (Origin: null), a response without Access-Control-Allow-Origin fails: null is not "null".',
    page: { origin: PAGE, opaque: 'sandboxed-iframe' },
    target: ORIGINS.crossSite,
    response: simple([]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  example({
    id: 'cors-check/opaque-null',
    group: 'origins',
    title: '§4.10: from an opaque origin, Access-Control-Allow-Origin: null matches the serialized origin "null".',
    page: { origin: PAGE, opaque: 'sandboxed-iframe' },
    target: ORIGINS.crossSite,
    response: simple([acao('null')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  example({
    id: 'cors-check/opaque-null-data-iframe',
    group: 'origins',
    title: '§4.10: from a data: iframe (an opaque origin), Access-Control-Allow-Origin: null matches.',
    page: { origin: PAGE, opaque: 'data-iframe' },
    target: ORIGINS.crossSite,
    response: simple([acao('null')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  example({
    id: 'cors-check/null-from-real-origin',
    group: 'origins',
    title: '§4.10: from a real origin, Access-Control-Allow-Origin: null fails the CORS check.',
    target: ORIGINS.crossSite,
    response: simple([acao('null')]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  example({
    id: 'cors-check/null-upper-case',
    group: 'origins',
    title: '§4.10: the comparison is byte for byte, so Access-Control-Allow-Origin: NULL fails from an opaque origin.',
    page: { origin: PAGE, opaque: 'sandboxed-iframe' },
    target: ORIGINS.crossSite,
    response: simple([acao('NULL')]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  // §4.10 with redirect-taint (§2.2.5): after a cross-origin hop the origin serializes as "null".
  example({
    id: 'cors-check/null-after-redirect',
    group: 'redirects',
    title: '§4.10 and §2.2.5: after a redirect from one cross-site origin to another, Origin is "null", so the final hop must allow null.',
    target: ORIGINS.crossSite,
    response: {
      preflight: null,
      actual: { status: 302, headers: [acao('*')], body: '', redirect: { to: ORIGINS.other, next: simple([acao('null')]) } },
    },
    taught: { outcome: 'allowed', preflight: false },
  }),
  example({
    id: 'cors-check/page-origin-after-redirect',
    group: 'redirects',
    title: "§4.10 and §2.2.5: after that redirect, the page's origin in Access-Control-Allow-Origin no longer matches.",
    target: ORIGINS.crossSite,
    response: {
      preflight: null,
      actual: { status: 302, headers: [acao('*')], body: '', redirect: { to: ORIGINS.other, next: simple([acao(PAGE)]) } },
    },
    taught: { outcome: 'blocked', preflight: false },
  }),
];

export const STANDARD_CASES: readonly CorsCase[] = cases;
