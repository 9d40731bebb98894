// Request classification (§2.2.1 methods, §2.2.2 headers) and what `new Request()` / `fetch()`
// do to a page's method and headers before any network activity (§5.3 Request constructor,
// §5.2 Headers guards).
import type { CaseRequest, Credentials, Header, RequestMode } from '../model/case.ts';
import { ANCHOR } from './anchors.ts';
import type { RequestDecision } from './decisions.ts';
import {
  FAILURE,
  type Failure,
  type HeaderList,
  byteCaseInsensitiveEqual,
  byteLowercase,
  byteUppercase,
  decodeSplit,
  getHeader,
  headerListContains,
  headerValues,
  isHeaderName,
  isHeaderValue,
  isHttpToken,
  normalizeHeaderValue,
  parseMimeType,
} from './headers.ts';

// --- Methods -----------------------------------------------------------------------------------

const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

/** A method is a token; `CHICKEN` and `eGg` are fine. */
export function isMethod(method: string): boolean {
  return isHttpToken(method);
}

export function isForbiddenMethod(method: string): boolean {
  return ['CONNECT', 'TRACE', 'TRACK'].includes(byteUppercase(method));
}

/** Only the six legacy names are uppercased; `patch` stays `patch` (it is case-sensitive). */
export function normalizeMethod(method: string): string {
  const upper = byteUppercase(method);
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

/** Byte-exact: after normalization `post` is `POST`, but a raw `post` would not be safelisted. */
export function isCorsSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

// --- Request headers ---------------------------------------------------------------------------

/** Bytes < 0x20 except HT, the RFC 9110 delimiters other than `,/;=`, and DEL. */
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  if (code < 0x20 && code !== 0x09) return true;
  return [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(code);
}

function containsUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  return false;
}

/** A single range as (start, end); either may be null (`bytes=0-`, `bytes=-500`). The numbers are
 *  BigInts: the standard compares them exactly, and past 2^53 a Number would round them equal. */
export type RangeValue = readonly [start: bigint | null, end: bigint | null];

/** "Parse a single range header value" (§2.2.2), with exact numbers: "start > end" holds for
 *  `bytes=9007199254740993-9007199254740992`, which Number() reads as two equal values. */
export function parseSingleRangeHeaderValue(value: string, allowWhitespace: boolean): RangeValue | Failure {
  const data = value;
  if (!data.startsWith('bytes')) return FAILURE;
  let position = 5;
  const skipWhitespace = (): void => {
    if (!allowWhitespace) return;
    while (data[position] === ' ' || data[position] === '\t') position++;
  };
  const collectDigits = (): string => {
    const start = position;
    while (position < data.length && /[0-9]/.test(data[position] ?? '')) position++;
    return data.slice(start, position);
  };
  skipWhitespace();
  if (data[position] !== '=') return FAILURE;
  position++;
  skipWhitespace();
  const rangeStart = collectDigits();
  const startValue = rangeStart === '' ? null : BigInt(rangeStart);
  skipWhitespace();
  if (data[position] !== '-') return FAILURE;
  position++;
  skipWhitespace();
  const rangeEnd = collectDigits();
  const endValue = rangeEnd === '' ? null : BigInt(rangeEnd);
  if (position < data.length) return FAILURE;
  if (startValue === null && endValue === null) return FAILURE;
  if (startValue !== null && endValue !== null && startValue > endValue) return FAILURE;
  return [startValue, endValue];
}

const LANGUAGE_VALUE_RE = /^[0-9A-Za-z *,\-.;=]*$/;
const SAFELISTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Why a header is or is not a CORS-safelisted request-header, as one sentence. */
export interface SafelistVerdict {
  safelisted: boolean;
  why: string;
}

/** "CORS-safelisted request-header" (§2.2.2), with the rule that decided it. */
export function corsSafelistVerdict(name: string, value: string): SafelistVerdict {
  if (value.length > 128) {
    return { safelisted: false, why: `its value is ${value.length} bytes, more than 128` };
  }
  switch (byteLowercase(name)) {
    case 'accept':
      return containsUnsafeByte(value)
        ? { safelisted: false, why: 'its value contains a CORS-unsafe request-header byte' }
        : { safelisted: true, why: 'Accept without CORS-unsafe bytes' };
    case 'accept-language':
    case 'content-language':
      return LANGUAGE_VALUE_RE.test(value)
        ? { safelisted: true, why: `${name} with only 0-9 A-Z a-z space * , - . ; =` }
        : { safelisted: false, why: 'its value has a byte outside 0-9 A-Z a-z space * , - . ; =' };
    case 'content-type': {
      if (containsUnsafeByte(value)) {
        return { safelisted: false, why: 'its value contains a CORS-unsafe request-header byte' };
      }
      const mime = parseMimeType(value);
      if (mime === FAILURE) return { safelisted: false, why: 'its value is not a valid MIME type ("parse a MIME type" fails)' };
      return SAFELISTED_CONTENT_TYPES.includes(mime.essence)
        ? { safelisted: true, why: `Content-Type essence ${mime.essence} is one of the three safelisted types` }
        : { safelisted: false, why: `Content-Type essence ${mime.essence} is not application/x-www-form-urlencoded, multipart/form-data or text/plain` };
    }
    case 'range': {
      const range = parseSingleRangeHeaderValue(value, false);
      if (range === FAILURE) return { safelisted: false, why: 'its value is not a single range of the form bytes=N-[M]' };
      if (range[0] === null) return { safelisted: false, why: 'a suffix range (bytes=-N) has no start, which the safelist excludes' };
      return { safelisted: true, why: 'a single range bytes=N-[M] with a start' };
    }
    default:
      return { safelisted: false, why: `${name} is not one of Accept, Accept-Language, Content-Language, Content-Type, Range` };
  }
}

export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return corsSafelistVerdict(name, value).safelisted;
}

/** "Convert header names to a sorted-lowercase set": lowercase, unique, sorted by bytes. */
export function sortedLowercaseSet(names: readonly string[]): string[] {
  const set = [...new Set(names.map(byteLowercase))];
  return set.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * "Sort and combine": one entry per lowercased name, sorted, each with the value
 * "get" returns (every value joined with ", "); only Set-Cookie keeps its lines apart. This
 * is the shape of a header map that holds a single value per name.
 */
export function sortAndCombine(headers: HeaderList): Header[] {
  const out: Header[] = [];
  for (const name of sortedLowercaseSet(headers.map(([n]) => n))) {
    if (name === 'set-cookie') {
      for (const value of headerValues(headers, name)) out.push([name, value]);
    } else {
      out.push([name, getHeader(headers, name) ?? '']);
    }
  }
  return out;
}

/**
 * "CORS-unsafe request-header names" (§2.2.2): every non-safelisted name, plus every safelisted
 * name once the safelisted values add up to more than 1024 bytes.
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderList): string[] {
  const unsafe: string[] = [];
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const [name, value] of headers) {
    if (!isCorsSafelistedRequestHeader(name, value)) {
      unsafe.push(name);
    } else {
      potentiallyUnsafe.push(name);
      safelistValueSize += value.length;
    }
  }
  if (safelistValueSize > 1024) unsafe.push(...potentiallyUnsafe);
  return sortedLowercaseSet(unsafe);
}

/** `Authorization`: never covered by a `*` in Access-Control-Allow-Headers. */
export function isCorsNonWildcardRequestHeaderName(name: string): boolean {
  return byteCaseInsensitiveEqual(name, 'Authorization');
}

export function isNoCorsSafelistedRequestHeaderName(name: string): boolean {
  return ['accept', 'accept-language', 'content-language', 'content-type'].includes(byteLowercase(name));
}

export function isNoCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return isNoCorsSafelistedRequestHeaderName(name) && isCorsSafelistedRequestHeader(name, value);
}

/** Removed when a 301/302 POST or a 303 turns the request into a GET. */
export function isRequestBodyHeaderName(name: string): boolean {
  return ['content-encoding', 'content-language', 'content-location', 'content-type'].includes(byteLowercase(name));
}

const FORBIDDEN_REQUEST_HEADER_NAMES = [
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
];

/** "Forbidden request-header" (§2.2.2): the user agent stays in control of these. */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = byteLowercase(name);
  if (FORBIDDEN_REQUEST_HEADER_NAMES.includes(lower)) return true;
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (['x-http-method', 'x-http-method-override', 'x-method-override'].includes(lower)) {
    // "Get, decode, and split" the value: a comma inside a quoted string does not split it, so
    // `"GET,TRACE,GET"` is one value (quotes included), which is not a forbidden method.
    return decodeSplit(value).some(isForbiddenMethod);
  }
  return false;
}

// --- new Request() / fetch() init processing -----------------------------------------------------

export interface RequestInit {
  /** The request's URL, when the constructor's URL checks are asked for too. */
  url?: string;
  method: string;
  headers: readonly Header[];
  body?: string | null;
  mode: RequestMode;
  credentials?: Credentials;
}

export interface ConstructedRequest {
  ok: true;
  /** The normalized method. */
  method: string;
  /** The request's header list after the Headers guard ran. */
  headers: Header[];
  /** Headers the guard silently dropped, and other decisions worth reporting. */
  decisions: RequestDecision[];
}

export interface ConstructionError {
  ok: false;
  /** `new Request()` throws, so `fetch()` rejects before anything is sent. */
  error: 'TypeError';
  /** Why it throws (also the last of `decisions`). */
  decision: RequestDecision;
  decisions: RequestDecision[];
}

/**
 * What `fetch(url, init)` does to the page's method, headers and body before fetching:
 * the Request constructor's checks (TypeError), method normalization, the "request" guard
 * (forbidden request-headers are dropped, silently), and for no-cors the "request-no-cors"
 * guard (only no-CORS-safelisted headers survive, judged on the combined value; Range, the
 * privileged no-CORS request-header name, is never one of them, so it is dropped too). A string body brings `Content-Type: text/plain;charset=UTF-8` unless one is set.
 */
export function constructRequest(init: RequestInit): ConstructedRequest | ConstructionError {
  const decisions: RequestDecision[] = [];
  const fail = (decision: RequestDecision): ConstructionError => {
    decisions.push(decision);
    return { ok: false, error: 'TypeError', decision, decisions };
  };

  if (init.url !== undefined && urlIncludesCredentials(init.url)) {
    return fail({ kind: 'request', result: 'url-credentials', facts: { url: new URL(init.url).origin }, anchor: ANCHOR.requestConstructor });
  }
  if (!isMethod(init.method)) {
    return fail({ kind: 'request', result: 'invalid-method', facts: { method: init.method }, anchor: ANCHOR.requestConstructor });
  }
  if (isForbiddenMethod(init.method)) {
    return fail({ kind: 'request', result: 'forbidden-method', facts: { method: init.method }, anchor: ANCHOR.forbiddenMethod });
  }
  const method = normalizeMethod(init.method);
  if (method !== init.method) {
    decisions.push({ kind: 'request', result: 'method-normalized', facts: { method: init.method, normalized: method }, anchor: ANCHOR.methodNormalize });
  }

  const noCors = init.mode === 'no-cors';
  if (noCors && !isCorsSafelistedMethod(method)) {
    return fail({ kind: 'request', result: 'no-cors-method', facts: { method }, anchor: ANCHOR.requestConstructor });
  }

  const headers: Header[] = [];
  for (const [rawName, rawValue] of init.headers) {
    const value = normalizeHeaderValue(rawValue);
    if (!isHeaderName(rawName) || !isHeaderValue(value)) {
      return fail({ kind: 'request', result: 'invalid-header', facts: { name: rawName, value: rawValue }, anchor: ANCHOR.headersAppend });
    }
    if (isForbiddenRequestHeader(rawName, value)) {
      decisions.push({ kind: 'request', result: 'forbidden-header-dropped', facts: { name: rawName }, anchor: ANCHOR.forbiddenRequestHeader });
      continue;
    }
    if (noCors) {
      const existing = getHeader(headers, rawName);
      const temporary = existing === null ? value : `${existing}, ${value}`;
      if (!isNoCorsSafelistedRequestHeader(rawName, temporary)) {
        decisions.push({ kind: 'request', result: 'no-cors-header-dropped', facts: { name: rawName }, anchor: ANCHOR.noCorsSafelistedRequestHeader });
        continue;
      }
    }
    headers.push([rawName, value]);
  }

  const hasBody = init.body !== undefined && init.body !== null;
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    return fail({ kind: 'request', result: 'body-not-allowed', facts: { method }, anchor: ANCHOR.requestConstructor });
  }
  if (hasBody && !headerListContains(headers, 'Content-Type')) {
    // Extracting a USVString body yields the type `text/plain;charset=UTF-8`, which is appended
    // through the same guard (and is safelisted, so it survives in no-cors mode too).
    const contentType = 'text/plain;charset=UTF-8';
    headers.push(['Content-Type', contentType]);
    decisions.push({ kind: 'request', result: 'body-content-type', facts: { value: contentType }, anchor: ANCHOR.bodyExtract });
  }
  return { ok: true, method, headers, decisions };
}

/** A URL that "includes credentials" (a username or a password): `new Request()` and so fetch()
 *  throw a TypeError for one. A URL that does not parse is left to the caller. */
export function urlIncludesCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/**
 * The `Accept` value "fetch" appends (§4, before main fetch) to a header list that has none, by
 * the request's destination: fetch(), XMLHttpRequest, sendBeacon() and a script get `*` / `*`.
 * It is in the header list main fetch judges, so its bytes count toward the 1,024-byte total of
 * CORS-safelisted values and, once that total is passed, `accept` is a CORS-unsafe name like the
 * others.
 *
 * Reading: the same step says a user agent "should" also append a default `Accept-Language` of
 * its own choosing. The model appends none (the standard gives no value, and the engines add
 * theirs in the network layer, after their CORS decision), so only the page's Accept-Language
 * counts toward the total.
 */
export function userAgentAcceptValue(destination: string): string {
  switch (destination) {
    case 'document':
    case 'frame':
    case 'iframe':
      return 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    case 'image':
      return 'image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';
    case 'json':
      return 'application/json,*/*;q=0.5';
    case 'style':
      return 'text/css,*/*;q=0.1';
    default:
      return '*/*';
  }
}

/** The header list with the user agent's `Accept` appended when it has none (userAgentAcceptValue). */
export function withUserAgentAccept(headers: HeaderList, destination: string): Header[] {
  return headerListContains(headers, 'Accept') ? [...headers] : [...headers, ['Accept', userAgentAcceptValue(destination)]];
}

/**
 * Whether a request, as fetch() sends it to another origin in mode cors, needs a
 * CORS-preflight request (main fetch): a method that is not CORS-safelisted once
 * normalized, or any CORS-unsafe request-header name. The preflight cache is not consulted.
 */
export function needsCorsPreflight(method: string, headers: HeaderList): boolean {
  return !isCorsSafelistedMethod(normalizeMethod(method)) || corsUnsafeRequestHeaderNames(headers).length > 0;
}

/**
 * A page's fetch() call, in the case model's terms: the page it runs in (an opaque-origin
 * document shares its origin with no URL), the target URL, and the init members that decide
 * whether a preflight is sent.
 */
export type PageRequest = Pick<CaseRequest, 'page' | 'url' | 'method' | 'headers' | 'body' | 'mode'>;

/** What a CORS-preflight request asks for (CORS-preflight fetch). */
export interface PreflightRequest {
  /** Access-Control-Request-Method: the normalized method. */
  method: string;
  /** Access-Control-Request-Headers: the CORS-unsafe request-header names, lowercased, sorted
   *  and comma-joined; null when there are none (the header is then not sent). */
  headers: string | null;
}

/**
 * The CORS-preflight request a browser sends for this request, with nothing in its preflight
 * cache, or null when it sends none. Checked in main fetch's order: a request fetch() refuses
 * is never sent; a same-origin URL uses basic tainting, not the CORS protocol (an opaque-origin
 * page is same origin with nothing); modes no-cors and same-origin never preflight; and the
 * question is asked of the request as fetch() built it, after forbidden headers were dropped
 * and a string body added its Content-Type, with the user agent's `Accept: *` + `/*` appended
 * (withUserAgentAccept). A URL with credentials makes fetch() throw, so it sends nothing.
 */
export function corsPreflightRequest(request: PageRequest): PreflightRequest | null {
  const built = constructRequest({ url: request.url, method: request.method, headers: request.headers, body: request.body, mode: request.mode });
  if (!built.ok) return null;
  let target: URL;
  try {
    target = new URL(request.url);
  } catch {
    // new Request() throws a TypeError for a URL it cannot parse.
    return null;
  }
  if (!request.page.opaque && new URL(request.page.origin).origin === target.origin) return null;
  if (request.mode !== 'cors') return null;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  const headers = withUserAgentAccept(built.headers, '');
  if (!needsCorsPreflight(built.method, headers)) return null;
  const unsafe = corsUnsafeRequestHeaderNames(headers);
  return { method: built.method, headers: unsafe.length > 0 ? unsafe.join(',') : null };
}
