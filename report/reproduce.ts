// How to reproduce a case by hand: the fetch() the probe page ran, and curl lines that ask
// the fixture server for the same response. The fixture URL comes from servers/recipe.ts,
// the one place that writes it; whether a preflight is sent, and what it asks for, comes
// from the spec model.
import type { CaseRequest, Header, PriorRequest } from '../model/case.ts';
import type { CaseRecord } from '../model/results.ts';
import { corsPreflightRequest, normalizeMethod } from '../oracle/index.ts';
import { fixtureUrl } from '../servers/recipe.ts';

/** The fixture server is reached through the run's proxy, which gives it its virtual hosts. */
export const PROXY_PORT_PLACEHOLDER = '<proxy-port>';

export interface Reproduction {
  /** What the page ran, on its origin (or in an opaque-origin frame inside it). */
  fetch: string;
  /** The actual request; when the browser sends a preflight first, that preflight before it. */
  curl: string[];
}

/** POSIX shell single quoting. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function requestOrigin(req: CaseRequest): string {
  return req.page.opaque ? 'null' : req.page.origin;
}

function fetchInit(req: CaseRequest, p?: PriorRequest): string {
  const lines = [
    `  method: ${JSON.stringify(p?.method ?? req.method)},`,
    `  headers: ${JSON.stringify(p?.headers ?? req.headers)},`,
    `  credentials: ${JSON.stringify(p?.credentials ?? req.credentials)},`,
    `  mode: ${JSON.stringify(req.mode)},`,
    `  redirect: ${JSON.stringify(req.redirect ?? 'follow')},`,
  ];
  if (req.body !== undefined && req.body !== null) lines.push(`  body: ${JSON.stringify(req.body)},`);
  return `{\n${lines.join('\n')}\n}`;
}

export function fetchSnippet(c: CaseRecord, url: string): string {
  const req = c.request;
  const where = req.page.opaque
    ? `// Run in a ${req.page.opaque} (opaque origin, sends Origin: null) inside a page on ${req.page.origin}`
    : `// Run on a page at ${req.page.origin}`;
  const out = [where];
  if (req.withCookie) out.push('// The target host set a cookie first (a first-party navigation to it).');
  out.push(`const url = ${JSON.stringify(url)};`);
  (req.prior ?? []).forEach((p, i) => {
    out.push(`// Prior request ${i + 1}, then wait ${p.waitMs} ms`);
    out.push(`await fetch(url, ${fetchInit(req, p)}).catch(() => {});`);
    out.push(`await new Promise((r) => setTimeout(r, ${p.waitMs}));`);
  });
  const read = req.readHeaders?.length ? `\n${JSON.stringify(req.readHeaders)}.forEach((n) => console.log(n, res.headers.get(n)));` : '';
  out.push(`const res = await fetch(url, ${fetchInit(req)});${read}`);
  return out.join('\n');
}

function curlBase(origin: string): string[] {
  return ['curl', '-si', '-x', `http://127.0.0.1:${PROXY_PORT_PLACEHOLDER}`, '-H', shellQuote(`Origin: ${origin}`)];
}

function headerArgs(headers: Header[]): string[] {
  return headers.flatMap(([n, v]) => ['-H', shellQuote(`${n}: ${v}`)]);
}

export function curlLines(c: CaseRecord, url: string): string[] {
  const req = c.request;
  const origin = requestOrigin(req);
  const lines: string[] = [];
  // An OPTIONS line only where a browser sends a preflight: a fixture may have a preflight
  // recipe for a request that needs none (safelisted, same-origin, mode no-cors).
  const preflight = corsPreflightRequest(req);
  if (preflight) {
    const pf = [...curlBase(origin), '-X', 'OPTIONS', '-H', shellQuote(`Access-Control-Request-Method: ${preflight.method}`)];
    if (preflight.headers) pf.push('-H', shellQuote(`Access-Control-Request-Headers: ${preflight.headers}`));
    lines.push([...pf, shellQuote(url)].join(' '));
  }
  const actual = curlBase(origin);
  const method = normalizeMethod(req.method);
  if (method === 'HEAD') actual.push('-I');
  else if (method !== 'GET') actual.push('-X', method);
  actual.push(...headerArgs(req.headers));
  if (req.body !== undefined && req.body !== null) actual.push('--data-raw', shellQuote(req.body));
  lines.push([...actual, shellQuote(url)].join(' '));
  return lines;
}

export function reproduce(c: CaseRecord): Reproduction {
  const url = fixtureUrl(c.request.url, c.response);
  return { fetch: fetchSnippet(c, url), curl: curlLines(c, url) };
}
