// A capture turned into the one request explain makes: the page's origin from its Origin or
// Referer (or --origin), the headers the page itself set (the browser's own and the cookies
// left out, by name), the credentials mode the capture shows. Cookies and Authorization are
// secrets: a cookie is never sent again nor shown (its name alone is), an Authorization value
// is sent to the server it came from and redacted wherever explain writes.
import type { CaseResponse, Credentials, Header } from '../../model/case.ts';
import {
  corsUnsafeRequestHeaderNames,
  getHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isHeaderValue,
  isHttpToken,
  needsCorsPreflight,
} from '../../oracle/index.ts';
import { redactHeaders } from '../../servers/redact.ts';
import { type ExplainArgs, type ExplainRequest, parseExplainArgs } from '../request.ts';
import { CaptureError } from './errors.ts';
import { type Capture, type CaptureFormat, type CaptureShape, parseCapture } from './formats.ts';

/** What explain read from a capture, as `explain --json` shows it (no secret value in it). */
export interface CaptureInfo {
  format: CaptureFormat;
  /** Whose DevTools wrote it, as far as its shape tells; null where it does not. */
  shape: CaptureShape;
  /** HAR: the entry explained (from 0) and how many the file has. */
  entry: { index: number; of: number } | null;
  /** Where the page's origin came from. */
  originFrom: 'Origin' | 'Referer' | 'referrer' | '--origin';
  /** The capture's headers the page did not set itself, with why each was left out. Cookies by name only. */
  leftOut: Array<{ name: string; why: string }>;
  /** HAR: whether it recorded the server's answers, and whether explain used them. */
  recorded: 'none' | 'available' | 'used';
  notes: string[];
}

export interface CapturedRequest {
  request: ExplainRequest;
  info: CaptureInfo;
  /** HAR: the server's recorded answers (secret headers redacted), for explaining without the server. */
  recorded: CaseResponse | null;
}

/** Headers the browser adds by itself that a page may also set: a capture cannot tell who set
 *  them, and the browser's own never take part in CORS (no preflight asks for them). */
const BROWSER_ADDED: Record<string, string> = {
  'user-agent': "the browser's own",
  priority: "the browser's own (request priority)",
  'accept-language': "the browser's own",
  dnt: "the browser's own",
  'upgrade-insecure-requests': "the browser's own",
  // Chromium's "Copy as fetch (Node.js)" turns the referrer policy into a header.
  'referrer-policy': "DevTools' Node.js form writes the page's referrer policy as a header",
};

function originOf(raw: string, from: string): string {
  if (raw === 'null') return 'null';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CaptureError(`the capture's ${from} (${JSON.stringify(raw.slice(0, 80))}) is not a URL`, "give the page's origin with --origin");
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new CaptureError(`the capture's ${from} is a ${u.protocol} page`, "give the page's origin with --origin");
  return u.origin;
}

export interface CaptureOptions {
  origin?: string;
  credentials?: string;
  engine?: string[];
  entry?: string;
}

/** The request a capture shows, checked; every refusal names the part of the capture and the fix. */
export function requestFromCapture(c: Capture, o: CaptureOptions = {}): CapturedRequest {
  const notes: string[] = [...c.notes];
  const leftOut: CaptureInfo['leftOut'] = [];
  const kept: Header[] = [];
  const names = new Set(c.headers.map(([n]) => n.toLowerCase()));
  // DevTools' "Disable cache" adds both; a page that wants them sets them itself, rarely both.
  const disableCache = getHeader(c.headers, 'pragma') === 'no-cache' && getHeader(c.headers, 'cache-control') === 'no-cache';
  for (const [name, value] of c.headers) {
    const lower = name.toLowerCase();
    if (!isHttpToken(name))
      throw new CaptureError(
        `the capture has a header named ${JSON.stringify(name.slice(0, 40))}, which is not a header name`,
        'copy the request again from DevTools',
      );
    // The value is not repeated: it may be a secret.
    if (!isHeaderValue(value))
      throw new CaptureError(`the capture's ${name} header has a line break or NUL in its value`, 'copy the request again from DevTools');
    if (lower === 'cookie') {
      for (const pair of value.split(';')) {
        const n = pair.split('=')[0]?.trim();
        if (n) leftOut.push({ name: `Cookie ${n}`, why: 'a cookie: explain never sends a captured cookie again, nor shows its value' });
      }
      continue;
    }
    if (lower === 'origin' || lower === 'referer') continue;
    if (lower in BROWSER_ADDED) {
      leftOut.push({ name, why: BROWSER_ADDED[lower] as string });
      continue;
    }
    if (disableCache && (lower === 'pragma' || lower === 'cache-control')) {
      leftOut.push({ name, why: 'DevTools\' "Disable cache" adds it' });
      continue;
    }
    if (lower === 'accept' && value === '*/*') {
      leftOut.push({ name, why: "fetch()'s default" });
      continue;
    }
    if (isForbiddenRequestHeader(name, value)) {
      leftOut.push({ name, why: "the browser's own: no page can set it" });
      continue;
    }
    kept.push([name, value]);
  }
  if (disableCache)
    notes.push('Pragma and Cache-Control: no-cache were left out as DevTools\' "Disable cache"; if your code sets them, add them with --header.');

  // The page's origin.
  const captured = getHeader(c.headers, 'origin');
  const referer = c.referrer ?? getHeader(c.headers, 'referer');
  let origin: string;
  let originFrom: CaptureInfo['originFrom'];
  if (o.origin !== undefined) {
    origin = o.origin;
    originFrom = '--origin';
    const seen = captured ?? (referer ? originOf(referer, 'Referer') : null);
    if (seen && seen !== o.origin) notes.push(`--origin ${o.origin} was used; the capture shows a page on ${seen}.`);
  } else if (captured !== null) {
    origin = originOf(captured, 'Origin header');
    originFrom = 'Origin';
  } else if (referer) {
    origin = originOf(referer, c.referrer ? 'referrer' : 'Referer header');
    originFrom = c.referrer ? 'referrer' : 'Referer';
  } else {
    throw new CaptureError(
      "the capture shows no page origin: it has no Origin header and no Referer (the page's referrer policy may have left them out)",
      'give the origin of the page that made the request with --origin, e.g. --origin https://app.example.com',
    );
  }

  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw new CaptureError(`the capture's URL ${JSON.stringify(c.url.slice(0, 100))} is not a URL`);
  }
  if (origin !== 'null' && url.origin === origin) {
    throw new CaptureError(
      `the capture is a same-origin request (a page on ${origin} fetching ${url.origin}): CORS does not apply to it, so no CORS header can block or allow it`,
      "copy the cross-origin request instead, or give the page's real origin with --origin",
    );
  }
  if (url.hash) url.hash = '';

  // Preflight copied instead of the request: explain the request it asked for.
  let method = c.method;
  let body = c.body;
  const acrm = getHeader(c.headers, 'access-control-request-method');
  if (method === 'OPTIONS' && acrm) {
    method = acrm;
    body = null;
    const acrh = getHeader(c.headers, 'access-control-request-headers');
    for (const n of acrh
      ? acrh
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []) {
      if (!kept.some(([k]) => k.toLowerCase() === n.toLowerCase())) kept.push([n, n === 'content-type' ? 'application/json' : 'x']);
    }
    notes.push(
      `The capture is a preflight (OPTIONS asking for ${acrm}${acrh ? ` with ${acrh}` : ''}); the request it asked for is explained, with placeholder values for its headers.`,
    );
  }
  if (!isHttpToken(method)) throw new CaptureError(`the capture's method ${JSON.stringify(method.slice(0, 20))} is not a method name`);
  if (isForbiddenMethod(method)) throw new CaptureError(`the capture's method ${method} is one no page can use`);
  if (body !== null && (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD')) {
    notes.push(`The capture's ${method} has a body, which fetch() never sends; it was left out.`);
    body = null;
  }

  // Credentials: as fetch() was told, else as the cookies show.
  let credentials: Credentials;
  if (o.credentials !== undefined) credentials = o.credentials as Credentials;
  else if (c.credentials) credentials = c.credentials;
  else if (names.has('cookie')) {
    credentials = 'include';
    notes.push("The capture carries cookies, so the page used credentials: 'include'.");
  } else {
    credentials = 'same-origin';
    if (c.format !== 'fetch')
      notes.push(
        "The capture carries no cookie, so fetch()'s default credentials (same-origin) were used; if your code sends credentials: 'include', add --credentials include.",
      );
  }

  const args: ExplainArgs = {
    url: url.href,
    origin,
    method,
    header: kept.map(([n, v]) => `${n}: ${v}`),
    credentials,
    ...(body !== null ? { body } : {}),
    ...(o.engine ? { engine: o.engine } : {}),
  };
  const request = parseExplainArgs(args);
  let recorded: CaseResponse | null =
    c.recorded && (c.recorded.actual || c.recorded.preflight)
      ? {
          preflight: c.recorded.preflight ? { status: c.recorded.preflight.status, headers: redactHeaders(c.recorded.preflight.headers) } : null,
          actual: c.recorded.actual ? { status: c.recorded.actual.status, headers: redactHeaders(c.recorded.actual.headers) } : { status: 0, headers: [] },
        }
      : null;
  const preflightNeeded = needsCorsPreflight(request.method, request.headers);
  if (recorded && preflightNeeded && !recorded.preflight) {
    if (c.recorded?.actual) {
      // HARs from Playwright (and Firefox's) list no preflight. The browser sent the request,
      // which it does only once a preflight allowed it: that preflight is stood in for by one
      // allowing exactly this request, and the model judges the recorded answer to the request.
      const unsafe = corsUnsafeRequestHeaderNames(request.headers);
      recorded = {
        ...recorded,
        preflight: {
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', request.origin],
            ...(request.credentials === 'include' ? [['Access-Control-Allow-Credentials', 'true'] as Header] : []),
            ['Access-Control-Allow-Methods', request.method],
            ...(unsafe.length ? [['Access-Control-Allow-Headers', unsafe.join(', ')] as Header] : []),
          ],
        },
      };
      notes.push(
        "The HAR lists no preflight; the browser sent the request, so a preflight allowed it. Over the recorded answers, the model stands one in that allows exactly this request, and judges the request's recorded answer.",
      );
    } else recorded = null;
  }
  if (c.format === 'har' && !recorded) notes.push('The HAR recorded no response for this request (the browser blocked it or it failed).');
  return {
    request,
    info: { format: c.format, shape: c.shape, entry: c.entry, originFrom, leftOut, recorded: recorded ? 'available' : 'none', notes },
    recorded,
  };
}

/** Reads a capture's text and returns the request it shows. */
export function readCapture(text: string, o: CaptureOptions = {}): CapturedRequest {
  return requestFromCapture(parseCapture(text, o.entry), o);
}
