// HTTP-redirect fetch (§4.5) under the CORS protocol: every hop of a CORS request passes its
// own CORS check, and once the request has crossed to another origin its Origin serializes
// as "null" (redirect-taint, §2.2.5), so the next hop must allow `null` or `*` (WPT
// cors-redirect, cors/redirect-origin.htm, fetch/api/redirect/redirect-origin); 301/302 turn a
// POST into a GET and 303 anything but GET/HEAD (redirect-method); userinfo in a Location is
// a network error for CORS (cors-redirect-credentials); a redirect may need a new preflight
// (cors-redirect-preflight); a redirected preflight is not ok (cors-preflight-redirect);
// Authorization is removed on a cross-origin hop; redirect modes error and manual
// (redirect-mode).
import type { CaseResponse, Credentials, Header, PageContext, RequestMode, ResponseRecipe, RedirectMode } from '../../model/case.ts';
import { ORIGINS } from '../../model/origins.ts';
import {
  H,
  acaoLines,
  acaoSays,
  bodyForMethod,
  credentialsOf,
  factor,
  host,
  ok,
  pick,
  targetUrl,
  val,
  type Block,
  type CaseParts,
  allowOrigin,
  preflightTrigger,
  redirect,
} from './shared.ts';

const STATUSES = ['301', '302', '303', '307', '308'];

/** The page a redirect case runs in; hosts of the hops follow its scheme. */
const PAGES: Record<string, { page: PageContext; https: boolean; says: string }> = {
  http: { page: { origin: ORIGINS.page }, https: false, says: 'an http page' },
  https: { page: { origin: ORIGINS.pageHttps }, https: true, says: 'an https page' },
  sandbox: { page: { origin: ORIGINS.page, opaque: 'sandboxed-iframe' }, https: false, says: 'a sandboxed iframe (origin null)' },
};

/** First hop → second hop, as host labels of shared.ts HOSTS (a is the page's host). */
const PATHS: Record<string, [string, string]> = {
  'same-to-cross': ['a', 'b'],
  'cross-to-same-host': ['b', 'b'],
  'cross-to-other': ['b', 'other'],
  'cross-to-page': ['b', 'a'],
  'same-to-same': ['a', 'a'],
  'same-site-to-cross-site': ['b.a', 'b'],
  'cross-to-same-site': ['b', 'b.a'],
  'same-to-same-site': ['a', 'b.a'],
  'same-site-to-same-site': ['b.a', 'b.a'],
  'same-site-to-page': ['b.a', 'a'],
};

function hopsOf(path: string, page: { https: boolean }): [string, string] {
  const [from, to] = pick(PATHS, path, 'redirect path');
  const h = (label: string): string => host(page.https ? `${label}-https` : label);
  return [h(from), h(to)];
}

const pathSays = (path: string): string => path.replace(/-/g, ' ');

function parts(page: PageContext, url: string, request: Omit<CaseParts['request'], 'url'>, response: CaseResponse, title: string): CaseParts {
  return { title, route: { page, target: new URL(url).origin }, request: { ...request, url }, response };
}

const originBlock: Block = {
  topic: 'redirects',
  name: 'origin',
  exhaustive: [
    factor('status', STATUSES),
    factor('path', ['same-to-cross', 'cross-to-same-host', 'cross-to-other', 'cross-to-page', 'same-to-same', 'same-site-to-cross-site', 'cross-to-same-site']),
    factor('hop2', ['page', 'null', 'star', 'absent']),
  ],
  pairwise: [factor('page', Object.keys(PAGES)), factor('hop1', ['page', 'star']), factor('method', ['GET', 'POST']), factor('cred', ['omit', 'same-origin'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const [from, to] = hopsOf(val(row, 'path'), page);
    const method = val(row, 'method');
    const next: CaseResponse = { preflight: null, actual: ok(acaoLines(val(row, 'hop2'), page.page.origin, 'null')) };
    const actual = redirect(Number(val(row, 'status')), acaoLines(val(row, 'hop1'), page.page.origin, 'null'), to, next);
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'origin'),
      { method, headers: [], body: bodyForMethod(method), credentials: credentialsOf(val(row, 'cred')), mode: 'cors' },
      { preflight: null, actual },
      `A ${method} from ${page.says} redirected ${val(row, 'status')} ${pathSays(val(row, 'path'))}, with ${acaoSays(val(row, 'hop1'))} on the redirect and ${acaoSays(val(row, 'hop2'))} on the final response.`,
    );
  },
};

const BODY_HEADERS: Record<string, Header[]> = {
  none: [],
  'text-plain': [['Content-Type', 'text/plain']],
  json: [['Content-Type', 'application/json']],
  'content-language': [['Content-Language', 'fr']],
};

/** A hop that allows anything without credentials, for the method-rewriting rows. */
function openHop(method: string, headers: Header[]): ResponseRecipe {
  const names = headers.map(([n]) => n);
  return { status: 204, headers: [H.acao('*'), H.acam(method), ...(names.length ? [H.acah(names.join(', '))] : [])] };
}

const methodBlock: Block = {
  topic: 'redirects',
  name: 'method',
  exhaustive: [factor('status', STATUSES), factor('method', ['GET', 'HEAD', 'POST', 'PUT']), factor('body-header', Object.keys(BODY_HEADERS))],
  pairwise: [factor('path', ['cross-to-same-host', 'same-site-to-cross-site', 'cross-to-other', 'same-to-cross']), factor('page', ['http', 'https'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const [from, to] = hopsOf(val(row, 'path'), page);
    const method = val(row, 'method');
    const headers = pick(BODY_HEADERS, val(row, 'body-header'), 'body header');
    const next: CaseResponse = { preflight: openHop(method, headers), actual: ok([H.acao('*')]) };
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'method'),
      { method, headers, body: bodyForMethod(method), credentials: 'omit', mode: 'cors' },
      { preflight: openHop(method, headers), actual: redirect(Number(val(row, 'status')), [H.acao('*')], to, next) },
      `A ${method}${headers.length ? ` with ${headers.map(([n, v]) => `${n}: ${v}`).join(', ')}` : ''} from ${page.says} redirected ${val(row, 'status')} ${pathSays(val(row, 'path'))}: does it stay a ${method} and keep its body headers?`,
    );
  },
};

const W3C: Header = ['X-W3C', 'w3c'];

/** What the second hop answers to the preflight the redirected request may need there. */
const HOP2_PREFLIGHT: Record<string, (page: string) => { preflight: ResponseRecipe | null; acao: string[] }> = {
  'allow-page': (p) => ({ preflight: { status: 204, headers: [H.acao(p), H.acah('X-W3C')] }, acao: [p] }),
  'allow-null': () => ({ preflight: { status: 204, headers: [H.acao('null'), H.acah('X-W3C')] }, acao: ['null'] }),
  'allow-star': () => ({ preflight: { status: 204, headers: [H.acao('*'), H.acah('X-W3C')] }, acao: ['*'] }),
  'no-handling': () => ({ preflight: null, acao: ['*'] }),
  'deny-header': () => ({ preflight: { status: 204, headers: [H.acao('*')] }, acao: ['*'] }),
};

const preflightBlock: Block = {
  topic: 'redirects',
  name: 'preflight',
  exhaustive: [
    factor('status', STATUSES),
    factor('path', ['same-to-cross', 'cross-to-same-host', 'cross-to-other', 'same-site-to-cross-site']),
    factor('hop2', Object.keys(HOP2_PREFLIGHT)),
  ],
  pairwise: [factor('page', ['http', 'https'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const [from, to] = hopsOf(val(row, 'path'), page);
    const hop2 = pick(HOP2_PREFLIGHT, val(row, 'hop2'), 'second-hop preflight')(page.page.origin);
    const next: CaseResponse = { preflight: hop2.preflight, actual: ok(hop2.acao.map(H.acao)) };
    const first: ResponseRecipe = { status: 204, headers: [H.acao('*'), H.acah('X-W3C')] };
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'preflight'),
      { method: 'GET', headers: [W3C], body: null, credentials: 'omit', mode: 'cors' },
      { preflight: first, actual: redirect(Number(val(row, 'status')), [H.acao('*')], to, next) },
      `A GET with the custom header X-W3C from ${page.says} redirected ${val(row, 'status')} ${pathSays(val(row, 'path'))}, where the second hop's preflight handling is "${val(row, 'hop2')}".`,
    );
  },
};

// §4.8: the preflight uses HTTP-network-or-cache fetch, which never follows a redirect, and a
// 3xx is not an ok status: the preflight fails whatever the Location says.
const preflightRedirectedBlock: Block = {
  topic: 'redirects',
  name: 'preflight-redirected',
  exhaustive: [factor('pfstatus', STATUSES), factor('to', ['same-host', 'other']), factor('trigger', ['method', 'header'])],
  pairwise: [factor('page', Object.keys(PAGES)), factor('cred', ['omit', 'include'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const credentials = credentialsOf(val(row, 'cred'));
    const target = host(page.https ? 'b-https' : 'b');
    const to = val(row, 'to') === 'same-host' ? target : host(page.https ? 'other-https' : 'other');
    const sent = page.page.opaque ? 'null' : page.page.origin;
    const trigger = preflightTrigger(val(row, 'trigger'), 'PUT', W3C);
    const { method, headers } = trigger;
    const cors: Header[] = allowOrigin(sent, credentials);
    const allow: Header[] = [...cors, ...trigger.allow];
    const next: CaseResponse = { preflight: { status: 204, headers: allow }, actual: ok(cors) };
    return parts(
      page.page,
      targetUrl(target, 'redirects', 'preflight-redirected'),
      { method, headers, body: bodyForMethod(method), credentials, mode: 'cors' },
      { preflight: redirect(Number(val(row, 'pfstatus')), allow, to, next), actual: ok(cors) },
      `A ${trigger.says} with credentials ${credentials} from ${page.says} whose preflight is answered with a ${val(row, 'pfstatus')} redirect to ${val(row, 'to') === 'same-host' ? 'the same host' : 'another origin'}.`,
    );
  },
};

const USERINFO: Record<string, string> = { 'user-pass': 'user:pass', 'user-only': 'user:', 'pass-only': ':pass' };

const userinfoBlock: Block = {
  topic: 'redirects',
  name: 'userinfo',
  exhaustive: [
    factor('userinfo', Object.keys(USERINFO)),
    factor('status', STATUSES),
    factor('path', ['same-to-same', 'same-to-cross', 'cross-to-same-host', 'cross-to-other', 'cross-to-page']),
  ],
  pairwise: [factor('mode', ['cors', 'no-cors']), factor('page', ['http', 'https'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const [from, to] = hopsOf(val(row, 'path'), page);
    const mode: RequestMode = val(row, 'mode') === 'no-cors' ? 'no-cors' : 'cors';
    const next: CaseResponse = { preflight: null, actual: ok([H.acao('*')]) };
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'userinfo'),
      { method: 'GET', headers: [], body: null, credentials: 'omit', mode },
      { preflight: null, actual: redirect(Number(val(row, 'status')), [H.acao('*')], to, next, pick(USERINFO, val(row, 'userinfo'), 'userinfo')) },
      `A ${mode} GET from ${page.says} redirected ${val(row, 'status')} ${pathSays(val(row, 'path'))} to a Location with userinfo "${pick(USERINFO, val(row, 'userinfo'), 'userinfo')}".`,
    );
  },
};

/** Same-site hops, so a SameSite=Lax cookie on the first hop is not a third-party question. */
const credentialsBlock: Block = {
  topic: 'redirects',
  name: 'credentials',
  exhaustive: [
    factor('cred', ['include', 'same-origin']),
    factor('path', ['same-to-same-site', 'same-site-to-same-site', 'same-site-to-page', 'same-site-to-cross-site']),
    factor('hop2', ['page', 'null', 'star']),
    factor('hop2-acac', ['absent', 'true']),
  ],
  pairwise: [factor('status', STATUSES), factor('page', ['http', 'https']), factor('cookie', ['yes', 'no'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const credentials: Credentials = credentialsOf(val(row, 'cred'));
    const [from, to] = hopsOf(val(row, 'path'), page);
    const hop2: Header[] = [...acaoLines(val(row, 'hop2'), page.page.origin, 'null'), ...(val(row, 'hop2-acac') === 'true' ? [H.acac('true')] : [])];
    const next: CaseResponse = { preflight: null, actual: ok(hop2) };
    const cookie = val(row, 'cookie') === 'yes';
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'credentials'),
      { method: 'GET', headers: [], body: null, credentials, mode: 'cors', ...(cookie ? { withCookie: true } : {}) },
      { preflight: null, actual: redirect(Number(val(row, 'status')), [H.acao(page.page.origin), H.acac('true')], to, next) },
      `A GET with credentials ${credentials} from ${page.says} redirected ${val(row, 'status')} ${pathSays(val(row, 'path'))}, the final response with ${acaoSays(val(row, 'hop2'))} and ${val(row, 'hop2-acac') === 'true' ? 'Access-Control-Allow-Credentials: true' : 'no Access-Control-Allow-Credentials'}.`,
    );
  },
};

const modeBlock: Block = {
  topic: 'redirects',
  name: 'mode',
  exhaustive: [
    factor('redirect', ['follow', 'error', 'manual']),
    factor('mode', ['cors', 'no-cors']),
    factor('status', STATUSES),
    factor('path', ['same-to-same', 'same-to-cross', 'cross-to-same-host']),
  ],
  pairwise: [factor('page', ['http', 'https'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const [from, to] = hopsOf(val(row, 'path'), page);
    const mode: RequestMode = val(row, 'mode') === 'no-cors' ? 'no-cors' : 'cors';
    const redirectMode = val(row, 'redirect') as RedirectMode;
    const next: CaseResponse = { preflight: null, actual: ok([H.acao('*')]) };
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'mode'),
      { method: 'GET', headers: [], body: null, credentials: 'omit', mode, redirect: redirectMode },
      { preflight: null, actual: redirect(Number(val(row, 'status')), [H.acao('*')], to, next) },
      `A ${mode} GET with redirect mode ${redirectMode} from ${page.says}, answered with a ${val(row, 'status')} redirect ${pathSays(val(row, 'path'))}.`,
    );
  },
};

// §4.5: "if request's current URL's origin is not same origin with locationURL's origin",
// Authorization is removed, so the second hop no longer needs a preflight for it.
const authorizationBlock: Block = {
  topic: 'redirects',
  name: 'authorization',
  exhaustive: [factor('status', STATUSES), factor('path', ['same-to-cross', 'cross-to-same-host', 'cross-to-other', 'same-site-to-cross-site'])],
  pairwise: [factor('page', ['http', 'https'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const [from, to] = hopsOf(val(row, 'path'), page);
    const auth: Header = ['Authorization', 'Bearer token'];
    const next: CaseResponse = { preflight: null, actual: ok([H.acao('*')]) };
    return parts(
      page.page,
      targetUrl(from, 'redirects', 'authorization'),
      { method: 'GET', headers: [auth], body: null, credentials: 'omit', mode: 'cors' },
      { preflight: { status: 204, headers: [H.acao('*'), H.acah('Authorization')] }, actual: redirect(Number(val(row, 'status')), [H.acao('*')], to, next) },
      `A GET with Authorization from ${page.says} redirected ${val(row, 'status')} ${pathSays(val(row, 'path'))} to a hop with no preflight handling: is Authorization dropped on a cross-origin hop?`,
    );
  },
};

// Two redirects over three hosts (WPT cors/redirect-origin.htm's local/remote/remote2 hops,
// redirect-back-to-original-origin): a request that leaves the page's origin and comes back
// is still redirect-tainted, so its Origin stays "null".
const CHAIN_HOSTS = ['a', 'b', 'other'];
const chainBlock: Block = {
  topic: 'redirects',
  name: 'chain',
  exhaustive: [factor('hop1', CHAIN_HOSTS), factor('hop2', CHAIN_HOSTS), factor('hop3', CHAIN_HOSTS), factor('final', ['page', 'null', 'star'])],
  pairwise: [factor('status', STATUSES), factor('page', ['http', 'https'])],
  build: (row) => {
    const page = pick(PAGES, val(row, 'page'), 'page');
    const h = (label: string): string => host(page.https ? `${label}-https` : label);
    const status = Number(val(row, 'status'));
    const last: CaseResponse = { preflight: null, actual: ok(acaoLines(val(row, 'final'), page.page.origin, 'null')) };
    const middle: CaseResponse = { preflight: null, actual: redirect(status, [H.acao('*')], h(val(row, 'hop3')), last) };
    const hops = [val(row, 'hop1'), val(row, 'hop2'), val(row, 'hop3')].join(' → ');
    return parts(
      page.page,
      targetUrl(h(val(row, 'hop1')), 'redirects', 'chain'),
      { method: 'GET', headers: [], body: null, credentials: 'omit', mode: 'cors' },
      { preflight: null, actual: redirect(status, [H.acao('*')], h(val(row, 'hop2')), middle) },
      `A GET from ${page.says} redirected twice (${status}) over the hosts ${hops}, the last answering with ${acaoSays(val(row, 'final'))}.`,
    );
  },
};

export const REDIRECT_BLOCKS: Block[] = [
  originBlock,
  chainBlock,
  methodBlock,
  preflightBlock,
  preflightRedirectedBlock,
  userinfoBlock,
  credentialsBlock,
  modeBlock,
  authorizationBlock,
];
