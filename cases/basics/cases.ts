// The first suite: the rules every CORS explanation teaches, one hand-written case each,
// with the outcome the rule states. suites/basics.spec.ts checks them in every engine.
import type { CaseResponse, CorsCase, Header, ResponseRecipe, TaughtExpectation } from '../../model/case.ts';
import { ORIGINS } from '../../model/origins.ts';

const PAGE = ORIGINS.page;
const API = ORIGINS.crossSite;
const acao = (v: string): Header => ['Access-Control-Allow-Origin', v];
const ok = (headers: Header[], body = 'ok'): ResponseRecipe => ({ status: 200, headers, body });

interface Spec {
  id: string;
  title: string;
  method?: string;
  headers?: Header[];
  body?: string;
  credentials?: CorsCase['request']['credentials'];
  url?: string;
  opaque?: 'sandboxed-iframe';
  response: CaseResponse;
  readHeaders?: string[];
  withCookie?: boolean;
  prior?: CorsCase['request']['prior'];
  taught: TaughtExpectation;
}

function basic(s: Spec): CorsCase {
  return {
    id: `basics/${s.id}`,
    group: 'basics',
    title: s.title,
    request: {
      page: s.opaque ? { origin: PAGE, opaque: s.opaque } : { origin: PAGE },
      url: s.url ?? `${API}/basics/${s.id}`,
      method: s.method ?? 'GET',
      headers: s.headers ?? [],
      body: s.body ?? null,
      credentials: s.credentials ?? 'omit',
      mode: 'cors',
      ...(s.readHeaders ? { readHeaders: s.readHeaders } : {}),
      ...(s.withCookie ? { withCookie: true } : {}),
      ...(s.prior ? { prior: s.prior } : {}),
    },
    response: s.response,
    taught: s.taught,
  };
}

const simple = (headers: Header[]): CaseResponse => ({ preflight: null, actual: ok(headers) });

function preflighted(allowMethods: string | null, extra: { allowHeaders?: string; maxAge?: string } = {}): CaseResponse {
  const pf: Header[] = [acao(PAGE)];
  if (allowMethods !== null) pf.push(['Access-Control-Allow-Methods', allowMethods]);
  if (extra.allowHeaders !== undefined) pf.push(['Access-Control-Allow-Headers', extra.allowHeaders]);
  if (extra.maxAge !== undefined) pf.push(['Access-Control-Max-Age', extra.maxAge]);
  return { preflight: { status: 204, headers: pf }, actual: ok([acao(PAGE)]) };
}

const cases: CorsCase[] = [
  basic({
    id: 'acao-absent',
    title: 'No Access-Control-Allow-Origin: the page cannot read the response',
    response: simple([]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  basic({
    id: 'acao-star',
    title: 'Access-Control-Allow-Origin: * lets any origin read',
    response: simple([acao('*')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  basic({
    id: 'acao-exact',
    title: 'Access-Control-Allow-Origin equal to the page origin',
    response: simple([acao(PAGE)]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  basic({
    id: 'acao-other',
    title: 'Access-Control-Allow-Origin naming another origin',
    response: simple([acao(ORIGINS.other)]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  basic({
    id: 'opaque-acao-null',
    title: 'An opaque-origin page (sandboxed iframe) against Access-Control-Allow-Origin: null',
    opaque: 'sandboxed-iframe',
    response: simple([acao('null')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  basic({
    id: 'opaque-acao-star',
    title: 'An opaque-origin page (sandboxed iframe) against Access-Control-Allow-Origin: *',
    opaque: 'sandboxed-iframe',
    response: simple([acao('*')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  basic({
    id: 'opaque-acao-page',
    title: "An opaque-origin page against its parent page's origin",
    opaque: 'sandboxed-iframe',
    response: simple([acao(PAGE)]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  basic({
    id: 'credentials-acao-star',
    title: "credentials: 'include' with Access-Control-Allow-Origin: * is blocked",
    credentials: 'include',
    response: simple([acao('*'), ['Access-Control-Allow-Credentials', 'true']]),
    taught: { outcome: 'blocked', preflight: false },
  }),
  basic({
    id: 'credentials-acao-exact',
    title: "credentials: 'include' with the exact origin and Access-Control-Allow-Credentials: true; the cookie is sent",
    credentials: 'include',
    url: `${ORIGINS.sameSite}/basics/credentials-acao-exact`,
    withCookie: true,
    response: simple([acao(PAGE), ['Access-Control-Allow-Credentials', 'true']]),
    taught: { outcome: 'allowed', preflight: false, cookieSent: true },
  }),
  basic({
    id: 'credentials-no-acac',
    title: "credentials: 'include' with the exact origin but no Access-Control-Allow-Credentials",
    credentials: 'include',
    url: `${ORIGINS.sameSite}/basics/credentials-no-acac`,
    withCookie: true,
    response: simple([acao(PAGE)]),
    taught: { outcome: 'blocked', preflight: false, cookieSent: true },
  }),
  basic({
    id: 'omit-sends-no-cookie',
    title: "credentials: 'omit' never sends the cookie",
    credentials: 'omit',
    url: `${ORIGINS.sameSite}/basics/omit-sends-no-cookie`,
    withCookie: true,
    response: simple([acao(PAGE)]),
    taught: { outcome: 'allowed', preflight: false, cookieSent: false },
  }),
  basic({ id: 'simple-get', title: 'A simple GET sends no preflight', response: simple([acao('*')]), taught: { outcome: 'allowed', preflight: false } }),
  basic({
    id: 'simple-head',
    title: 'A simple HEAD sends no preflight',
    method: 'HEAD',
    response: simple([acao('*')]),
    taught: { outcome: 'allowed', preflight: false },
  }),
  ...(
    [
      ['urlencoded', 'application/x-www-form-urlencoded', 'a=1'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
      ['text-plain', 'text/plain', 'hello'],
    ] as const
  ).map(([id, type, body]) =>
    basic({
      id: `simple-post-${id}`,
      title: `A POST with Content-Type ${type} sends no preflight`,
      method: 'POST',
      headers: [['Content-Type', type]],
      body,
      response: simple([acao('*')]),
      taught: { outcome: 'allowed', preflight: false },
    }),
  ),
  basic({
    id: 'post-json-preflight',
    title: 'A POST with Content-Type application/json needs a preflight',
    method: 'POST',
    headers: [['Content-Type', 'application/json']],
    body: '{}',
    response: preflighted(null, { allowHeaders: 'Content-Type' }),
    taught: { outcome: 'allowed', preflight: true, requestHeadersSeen: 'content-type' },
  }),
  ...['PUT', 'DELETE', 'PATCH'].flatMap((m) => [
    basic({
      id: `${m.toLowerCase()}-allowed`,
      title: `${m} sends a preflight, and Access-Control-Allow-Methods: ${m} allows it`,
      method: m,
      response: preflighted(m),
      taught: { outcome: 'allowed', preflight: true, requestMethodSeen: m },
    }),
    basic({
      id: `${m.toLowerCase()}-refused`,
      title: `${m} is refused when Access-Control-Allow-Methods lists only GET, POST`,
      method: m,
      response: preflighted('GET, POST'),
      taught: { outcome: 'blocked', preflight: true, requestMethodSeen: m },
    }),
  ]),
  basic({
    id: 'custom-header-allowed',
    title: 'A custom header is listed lowercase in Access-Control-Request-Headers and allowed by Access-Control-Allow-Headers',
    headers: [['X-Custom-Header', 'v']],
    response: preflighted(null, { allowHeaders: 'X-Custom-Header' }),
    taught: { outcome: 'allowed', preflight: true, requestHeadersSeen: 'x-custom-header' },
  }),
  basic({
    id: 'custom-header-refused',
    title: 'A custom header not listed in Access-Control-Allow-Headers is refused',
    headers: [['X-Custom-Header', 'v']],
    response: preflighted(null, { allowHeaders: 'X-Other' }),
    taught: { outcome: 'blocked', preflight: true, requestHeadersSeen: 'x-custom-header' },
  }),
  basic({
    id: 'custom-headers-sorted',
    title: 'Several custom headers are sent sorted, lowercase and comma-separated',
    headers: [
      ['X-Zeta', '1'],
      ['X-Alpha', '2'],
    ],
    response: preflighted(null, { allowHeaders: 'x-alpha, x-zeta' }),
    taught: { outcome: 'allowed', preflight: true, requestHeadersSeen: 'x-alpha,x-zeta' },
  }),
  basic({
    id: 'expose-headers',
    title: 'Access-Control-Expose-Headers: an exposed header is readable, another is not',
    response: simple([acao('*'), ['Content-Type', 'text/plain'], ['X-Public', 'p'], ['X-Secret', 's'], ['Access-Control-Expose-Headers', 'X-Public']]),
    readHeaders: ['x-public', 'x-secret', 'content-type'],
    taught: { outcome: 'allowed', preflight: false, readable: ['x-public', 'content-type'], hidden: ['x-secret'] },
  }),
  basic({
    id: 'max-age-cached',
    title: 'Access-Control-Max-Age: 600 — a second request within max-age sends no preflight',
    method: 'PUT',
    prior: [{ waitMs: 0 }],
    response: preflighted('PUT', { maxAge: '600' }),
    taught: { outcome: 'allowed', preflight: false },
  }),
  basic({
    id: 'max-age-zero',
    title: 'Access-Control-Max-Age: 0 — every request sends its own preflight',
    method: 'PUT',
    prior: [{ waitMs: 0 }],
    response: preflighted('PUT', { maxAge: '0' }),
    taught: { outcome: 'allowed', preflight: true },
  }),
];

export const BASICS: readonly CorsCase[] = cases;
