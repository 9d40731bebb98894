// What every topic of the matrix shares: the routes (page → target), the vocabulary of
// response-header values, and the one function that turns a block of dimensions into cases.
// A block names the dimensions that decide its outcomes (their full product is generated)
// and the dimensions that only vary the context (covered pairwise, see pairwise.ts).
import type {
  CaseQuestion,
  CaseRequest,
  CaseResponse,
  CorsCase,
  Credentials,
  Header,
  PageContext,
  ResponseRecipe,
  SiteRelation,
  Topic,
} from '../../model/case.ts';
import { ORIGINS } from '../../model/origins.ts';
import { constructRequest, corsUnsafeRequestHeaderNames, normalizeMethod, withUserAgentAccept } from '../../oracle/index.ts';
import { allPairs, product, type Assignment, type Factor } from './pairwise.ts';

// --- Routes: where the page is and where it fetches ----------------------------------------

export interface Route {
  page: PageContext;
  target: string;
  /** The target seen from the page's own origin. */
  site: SiteRelation;
  /** Words for titles, e.g. "a same-site cross-origin target". */
  says: string;
}

/**
 * The page → target pairs of get-host-info.sub.js, on our virtual origins. An https page
 * never fetches an http URL: mixed-content blocking is not CORS.
 */
export const ROUTES = {
  'same-origin': { page: { origin: ORIGINS.page }, target: ORIGINS.page, site: 'same-origin', says: 'a same-origin target' },
  'same-site': { page: { origin: ORIGINS.page }, target: ORIGINS.sameSite, site: 'same-site', says: 'a same-site cross-origin target' },
  'cross-site': { page: { origin: ORIGINS.page }, target: ORIGINS.crossSite, site: 'cross-site', says: 'a cross-site target' },
  other: { page: { origin: ORIGINS.page }, target: ORIGINS.other, site: 'cross-site', says: 'a target on a third site' },
  'http-to-https': { page: { origin: ORIGINS.page }, target: ORIGINS.crossSiteHttps, site: 'cross-site', says: 'a cross-site https target from an http page' },
  'https-same-origin': { page: { origin: ORIGINS.pageHttps }, target: ORIGINS.pageHttps, site: 'same-origin', says: 'a same-origin target on https' },
  'https-same-site': {
    page: { origin: ORIGINS.pageHttps },
    target: ORIGINS.sameSiteHttps,
    site: 'same-site',
    says: 'a same-site cross-origin target on https',
  },
  'https-cross-site': { page: { origin: ORIGINS.pageHttps }, target: ORIGINS.crossSiteHttps, site: 'cross-site', says: 'a cross-site target on https' },
  sandbox: {
    page: { origin: ORIGINS.page, opaque: 'sandboxed-iframe' },
    target: ORIGINS.crossSite,
    site: 'cross-site',
    says: 'a cross-site target from a sandboxed iframe (origin null)',
  },
  'sandbox-parent': {
    page: { origin: ORIGINS.page, opaque: 'sandboxed-iframe' },
    target: ORIGINS.page,
    site: 'same-origin',
    says: "its parent page's origin from a sandboxed iframe (origin null)",
  },
  data: {
    page: { origin: ORIGINS.page, opaque: 'data-iframe' },
    target: ORIGINS.crossSite,
    site: 'cross-site',
    says: 'a cross-site target from a data: iframe (origin null)',
  },
  'data-https': {
    page: { origin: ORIGINS.pageHttps, opaque: 'data-iframe' },
    target: ORIGINS.crossSiteHttps,
    site: 'cross-site',
    says: 'a cross-site https target from a data: iframe in an https page',
  },
} as const satisfies Record<string, Route>;

/** Routes whose target is same-site with the page: a SameSite=Lax cookie goes there. */
const COOKIE_ROUTES = ['same-site', 'https-same-site', 'same-origin', 'https-same-origin'];

/** A block's `allowed` rule: a row with a cookie on the target only on a same-site route
 *  (cross-site cookies are each browser's own policy, kept to the blocks about them). */
export const cookieOnlySameSite = (row: Readonly<Assignment>): boolean => row.cookie !== 'yes' || row.route === undefined || COOKIE_ROUTES.includes(row.route);

export function route(name: string): Route {
  const r = (ROUTES as Record<string, Route>)[name];
  if (!r) throw new Error(`matrix: unknown route ${name}`);
  return r;
}

/** The request's serialized origin before any redirect: "null" from an opaque document. */
export function requestOrigin(r: Route): string {
  return r.page.opaque ? 'null' : r.page.origin;
}

/** The origins by short label, for redirect hops and header values. */
export const HOSTS: Record<string, string> = {
  a: ORIGINS.page,
  'a-https': ORIGINS.pageHttps,
  'b.a': ORIGINS.sameSite,
  'b.a-https': ORIGINS.sameSiteHttps,
  b: ORIGINS.crossSite,
  'b-https': ORIGINS.crossSiteHttps,
  other: ORIGINS.other,
  'other-https': ORIGINS.otherHttps,
};

export function host(label: string): string {
  const o = HOSTS[label];
  if (!o) throw new Error(`matrix: unknown host ${label}`);
  return o;
}

// --- Header vocabulary ----------------------------------------------------------------------

export const H = {
  acao: (v: string): Header => ['Access-Control-Allow-Origin', v],
  acac: (v: string): Header => ['Access-Control-Allow-Credentials', v],
  acam: (v: string): Header => ['Access-Control-Allow-Methods', v],
  acah: (v: string): Header => ['Access-Control-Allow-Headers', v],
  aceh: (v: string): Header => ['Access-Control-Expose-Headers', v],
  acma: (v: string): Header => ['Access-Control-Max-Age', v],
};

/**
 * Access-Control-Allow-Origin values, from WPT cors/origin.htm and §4.10's notes: each maps
 * the page origin and the request's serialized origin to the header lines sent.
 */
export const ACAO_VALUES: Record<string, (page: string, sent: string) => string[]> = {
  absent: () => [],
  star: () => ['*'],
  /** What a server that reflects the Origin header sends. */
  echo: (_p, sent) => [sent],
  page: (p) => [p],
  null: () => ['null'],
  other: () => [ORIGINS.other],
  'trailing-slash': (p) => [`${p}/`],
  upper: (p) => [p.toUpperCase()],
  'upper-host': (p) => [p.replace(/\/\/(.*)$/, (_m, h: string) => `//${h.toUpperCase()}`)],
  'default-port': (p) => [`${p}:${p.startsWith('https:') ? 443 : 80}`],
  path: (p) => [`${p}/m`],
  'query-mark': (p) => [`${p}?`],
  'hash-mark': (p) => [`${p}#`],
  'spaces-around': (p) => [` ${p} `],
  'tab-before': (p) => [`\t${p}`],
  'star-spaces': () => ['  *  '],
  'two-lines-same': (p) => [p, p],
  'two-lines-star': (p) => [p, '*'],
  'two-stars': () => ['*', '*'],
  'list-page-other': (p) => [`${p}, ${ORIGINS.other}`],
  'list-other-page': (p) => [`${ORIGINS.other}, ${p}`],
  'star-comma-star': () => ['*, *'],
  'single-quoted-star': () => ["'*'"],
  'double-quoted-star': () => ['"*"'],
  empty: () => [''],
  'null-upper': () => ['NULL'],
  'null-title': () => ['Null'],
  'null-and-page': (p) => ['null', p],
  'other-scheme': (p) => [p.startsWith('https:') ? p.replace('https:', 'http:') : p.replace('http:', 'https:')],
  'no-scheme': (p) => [p.replace(/^https?:\/\//, '')],
  'subdomain-wildcard': (p) => [p.replace('//', '//*.')],
  'trailing-dot': (p) => [`${p}.`],
  'sent-and-other': (_p, sent) => [sent, ORIGINS.other],
};

export function acaoLines(label: string, page: string, sent: string): Header[] {
  const f = ACAO_VALUES[label];
  if (!f) throw new Error(`matrix: unknown ACAO value ${label}`);
  return f(page, sent).map(H.acao);
}

// --- Requests --------------------------------------------------------------------------------

export const BODY = 'cors-conformance';

/** A body whenever the (normalized) method may carry one, as WPT's POST/PUT cases do. */
export function bodyForMethod(method: string): string | null {
  const m = normalizeMethod(method);
  return m === 'GET' || m === 'HEAD' ? null : BODY;
}

export function targetUrl(target: string, topic: Topic, block: string): string {
  return `${target}/m/${topic}/${block}`;
}

/** A request that needs a preflight by its method, or by a custom header on a GET. */
export interface PreflightTrigger {
  method: string;
  headers: Header[];
  /** The request in words, for titles. */
  says: string;
  /** Access-Control-Allow-Methods, and -Headers for the custom header, that allow it. */
  allow: Header[];
}

/** `kind` is a block's `trigger` value: `method` or `header`. */
export function preflightTrigger(kind: string, method: string, header: Header): PreflightTrigger {
  return kind === 'method'
    ? { method, headers: [], says: method, allow: [H.acam(method)] }
    : { method: 'GET', headers: [header], says: 'GET with a custom header', allow: [H.acam('GET'), H.acah(header[0])] };
}

/** Access-Control-Allow-Credentials: true when the request includes credentials. */
export function allowCredentials(credentials: Credentials): Header[] {
  return credentials === 'include' ? [H.acac('true')] : [];
}

/** The response headers that let exactly this origin read, with these credentials. */
export function allowOrigin(origin: string, credentials: Credentials): Header[] {
  return [H.acao(origin), ...allowCredentials(credentials)];
}

/** A permissive CORS-preflight answer for exactly this request (its method and header names). */
export function preflightAllowing(opts: {
  origin: string;
  method: string;
  headers: readonly Header[];
  credentials: Credentials;
  status?: number;
}): ResponseRecipe {
  const headers: Header[] = allowOrigin(opts.origin, opts.credentials);
  headers.push(H.acam(opts.method));
  // The names the page set (forbidden ones included: listing them is harmless), then what
  // fetch() adds: a string body brings its own Content-Type, which becomes CORS-unsafe once
  // the safelisted values pass 1024 bytes, so a server that allows "any preflight" lists it too.
  const sent = constructRequest({ method: opts.method, headers: opts.headers, body: bodyForMethod(opts.method), mode: 'cors' });
  const names = [...new Set([...opts.headers, ...(sent.ok ? sent.headers : [])].map(([n]) => n))];
  // The user agent's own Accept is CORS-unsafe too once the safelisted values pass 1024 bytes.
  const hasAccept = names.some((n) => n.toLowerCase() === 'accept');
  if (sent.ok && !hasAccept && corsUnsafeRequestHeaderNames(withUserAgentAccept(sent.headers, '')).includes('accept')) names.push('Accept');
  if (names.length > 0) headers.push(H.acah(names.join(', ')));
  headers.push(H.acma('0'));
  return { status: opts.status ?? 204, headers };
}

/** A 3xx answer that sends the request to the same path on `to`, where `next` answers. */
export function redirect(status: number, headers: Header[], to: string, next: CaseResponse, userinfo?: string): ResponseRecipe {
  return { status, headers, body: '', redirect: { to, ...(userinfo ? { userinfo } : {}), next } };
}

export function ok(headers: Header[], status = 200): ResponseRecipe {
  return { status, headers, body: 'ok' };
}

// --- Blocks → cases ----------------------------------------------------------------------------

export interface CaseParts {
  title: string;
  request: Omit<CaseRequest, 'url' | 'page'> & { url?: string };
  /** Where the page is and where the request goes (the url, when the request has none). */
  route: Pick<Route, 'page' | 'target'>;
  response: CaseResponse;
  question?: CaseQuestion;
}

export interface Block {
  topic: Topic;
  /** Second segment of every id of the block. */
  name: string;
  /** Dimensions whose full product is generated: together they decide the outcome. */
  exhaustive: Factor[];
  /** Dimensions covered pairwise against each other and against the exhaustive ones. */
  pairwise: Factor[];
  allowed?: (row: Readonly<Assignment>) => boolean;
  build: (row: Readonly<Assignment>) => CaseParts;
}

export function factor(name: string, values: readonly string[]): Factor {
  return { name, values };
}

/** The rows of a block: its exhaustive product, widened and completed pairwise. */
export function blockRows(b: Block): Assignment[] {
  const allowed = b.allowed ?? (() => true);
  const seed = product(b.exhaustive, (r) => allowed(r));
  if (b.pairwise.length === 0) return seed;
  return allPairs([...b.exhaustive, ...b.pairwise], { seed, allowed });
}

/** `topic/block/k=v/...` in the block's factor order: readable, and the same on every run. */
export function caseId(b: Block, row: Readonly<Assignment>): string {
  const parts = [...b.exhaustive, ...b.pairwise].map((f) => `${f.name}=${row[f.name] ?? ''}`);
  return [b.topic, b.name, ...parts].join('/');
}

export function blockCases(b: Block): CorsCase[] {
  return blockRows(b).map((row) => {
    const parts = b.build(row);
    const { url, ...request } = parts.request;
    return {
      id: caseId(b, row),
      group: b.topic,
      title: parts.title,
      request: {
        page: parts.route.page,
        url: url ?? targetUrl(parts.route.target, b.topic, b.name),
        ...request,
      },
      response: parts.response,
      ...(parts.question ? { question: parts.question } : {}),
    };
  });
}

/** Looks a label up in a table, naming the table when it is missing (a typo in a factor). */
export function pick<T>(table: Record<string, T>, label: string | undefined, what: string): T {
  if (label === undefined || !(label in table)) throw new Error(`matrix: unknown ${what} ${String(label)}`);
  return table[label] as T;
}

/** A row's label for a factor; a missing one is a bug in the block, so it throws. */
export function val(row: Readonly<Assignment>, name: string): string {
  const v = row[name];
  if (v === undefined) throw new Error(`matrix: the row has no ${name}: ${JSON.stringify(row)}`);
  return v;
}

export function credentialsOf(label: string): Credentials {
  if (label === 'omit' || label === 'same-origin' || label === 'include') return label;
  throw new Error(`matrix: unknown credentials mode ${label}`);
}

const ACAO_SAYS: Record<string, string> = {
  absent: 'no Access-Control-Allow-Origin',
  star: 'Access-Control-Allow-Origin: *',
  echo: "Access-Control-Allow-Origin set to the request's Origin",
  page: "Access-Control-Allow-Origin set to the page's origin",
  null: 'Access-Control-Allow-Origin: null',
  other: 'Access-Control-Allow-Origin naming another origin',
};

/** Words for an Access-Control-Allow-Origin label, for titles. */
export function acaoSays(label: string): string {
  return ACAO_SAYS[label] ?? `Access-Control-Allow-Origin "${label}"`;
}
