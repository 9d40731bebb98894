// Header-list helpers in the Fetch standard's own terms (§2.2.2), reusable outside the oracle.
// Header values are JS strings holding one byte per code unit (ByteString), which is how the
// Fetch API and the fixture server carry them.
import type { Header } from '../model/case.ts';

/** Returned where the standard's algorithms return "failure". */
export const FAILURE = 'failure' as const;
export type Failure = typeof FAILURE;

export type HeaderList = readonly Header[];

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 `token`: what a method and a field-name must be. */
export function isHttpToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

/** HTTP tab or space (U+0009, U+0020). */
export function isHttpTabOrSpace(c: string | undefined): boolean {
  return c === '\t' || c === ' ';
}

/** HTTP whitespace: HTTP tab or space, LF, CR. */
export function isHttpWhitespace(c: string | undefined): boolean {
  return c === '\t' || c === ' ' || c === '\n' || c === '\r';
}

function trimWith(s: string, strip: (c: string | undefined) => boolean): string {
  let start = 0;
  let end = s.length;
  while (start < end && strip(s[start])) start++;
  while (end > start && strip(s[end - 1])) end--;
  return s.slice(start, end);
}

/** "Normalize" a header value: strip leading and trailing HTTP whitespace bytes (§2.2.2). */
export function normalizeHeaderValue(value: string): string {
  return trimWith(value, isHttpWhitespace);
}

/** Removes leading and trailing HTTP tab or space (optional whitespace, OWS). */
export function trimOws(value: string): string {
  return trimWith(value, isHttpTabOrSpace);
}

/** A header name is a field-name token. */
export function isHeaderName(name: string): boolean {
  return isHttpToken(name);
}

/**
 * A header value: bytes only (≤ 0xFF), no NUL, CR or LF, and no leading or trailing
 * HTTP tab or space. `new Headers` throws a TypeError on anything else.
 */
export function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff || code === 0x00 || code === 0x0a || code === 0x0d) return false;
  }
  return trimOws(value) === value;
}

export function byteLowercase(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function byteUppercase(s: string): string {
  return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

export function byteCaseInsensitiveEqual(a: string, b: string): boolean {
  return byteLowercase(a) === byteLowercase(b);
}

export function headerListContains(list: HeaderList, name: string): boolean {
  return list.some(([n]) => byteCaseInsensitiveEqual(n, name));
}

/** The values of every line named `name`, in order. */
export function headerValues(list: HeaderList, name: string): string[] {
  return list.filter(([n]) => byteCaseInsensitiveEqual(n, name)).map(([, v]) => v);
}

/**
 * "Get" (§2.2.2): null when absent, else all values joined by ", ". This is why two
 * Access-Control-Allow-Origin lines can never pass the CORS check.
 */
export function getHeader(list: HeaderList, name: string): string | null {
  const values = headerValues(list, name);
  return values.length === 0 ? null : values.join(', ');
}

/**
 * Parses one line of an RFC 9110 `#token` list (ACAM, ACAH, ACEH, ACRH). Empty elements are
 * ignored as the `#` rule requires; any element that is not a token (a space inside it, a
 * quote, a slash) makes the whole value fail.
 */
export function parseTokenList(value: string): string[] | Failure {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const element = trimOws(raw);
    if (element === '') continue;
    if (!isHttpToken(element)) return FAILURE;
    out.push(element);
  }
  return out;
}

/**
 * "Extract header list values" (§2.2.2) for a `#token` header: null when absent, failure when
 * any line fails to parse, otherwise the elements of every line in order.
 */
export function extractTokenListValues(list: HeaderList, name: string): string[] | null | Failure {
  const lines = headerValues(list, name);
  if (lines.length === 0) return null;
  const values: string[] = [];
  for (const line of lines) {
    const parsed = parseTokenList(line);
    if (parsed === FAILURE) return FAILURE;
    values.push(...parsed);
  }
  return values;
}

/**
 * The elements of a `#token` list header, none when it is absent or fails to parse: for a
 * reader that only asks whether an element is listed, where both mean "nothing is allowed".
 */
export function listedTokens(list: HeaderList, name: string): string[] {
  const values = extractTokenListValues(list, name);
  return values === null || values === FAILURE ? [] : values;
}

/**
 * "Extract header list values" for a header whose ABNF allows a single header (e.g.
 * Access-Control-Max-Age, Location): more than one line is failure; `parse` returns the
 * parsed value or failure.
 */
export function extractSingleValue<T>(list: HeaderList, name: string, parse: (value: string) => T | Failure): T | null | Failure {
  const lines = headerValues(list, name);
  if (lines.length === 0) return null;
  if (lines.length > 1) return FAILURE;
  return parse(lines[0] ?? '');
}

// ---------------------------------------------------------------------------------------------
// Response-side names (§2.2.2) and Access-Control-Expose-Headers processing (§4.1 main fetch).

const CORS_SAFELISTED_RESPONSE_HEADER_NAMES = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];

/** Set-Cookie and Set-Cookie2: never readable by a page, not even same-origin. */
export function isForbiddenResponseHeaderName(name: string): boolean {
  const lower = byteLowercase(name);
  return lower === 'set-cookie' || lower === 'set-cookie2';
}

/** "CORS-safelisted response-header name" given the response's CORS-exposed header-name list. */
export function isCorsSafelistedResponseHeaderName(name: string, exposed: readonly string[]): boolean {
  const lower = byteLowercase(name);
  if (CORS_SAFELISTED_RESPONSE_HEADER_NAMES.includes(lower)) return true;
  return exposed.some((item) => byteCaseInsensitiveEqual(item, name) && !isForbiddenResponseHeaderName(item));
}

export interface ExposedHeaderNames {
  /** The response's CORS-exposed header-name list. */
  list: string[];
  /** How ACEH was read: absent, unparsable, `*` taken as a wildcard, or taken literally. */
  source: 'absent' | 'failure' | 'wildcard' | 'literal';
}

/**
 * Main fetch's ACEH step: `*` exposes every name in the response only when the credentials
 * mode is not "include"; otherwise the list is taken literally, so `*` then matches only a
 * header named `*`. A parse failure exposes nothing beyond the safelisted names.
 */
export function corsExposedHeaderNames(responseHeaders: HeaderList, credentialsInclude: boolean): ExposedHeaderNames {
  const names = extractTokenListValues(responseHeaders, 'Access-Control-Expose-Headers');
  if (names === null) return { list: [], source: 'absent' };
  if (names === FAILURE) return { list: [], source: 'failure' };
  if (!credentialsInclude && names.includes('*')) {
    const unique: string[] = [];
    for (const [n] of responseHeaders) {
      if (!unique.some((u) => byteCaseInsensitiveEqual(u, n))) unique.push(n);
    }
    return { list: unique, source: 'wildcard' };
  }
  return { list: names, source: 'literal' };
}

/** The header names a filtered response of this type keeps (§2.2.6). */
export type ResponseType = 'basic' | 'cors' | 'opaque' | 'opaqueredirect';

export function visibleResponseHeaderNames(type: ResponseType, responseHeaders: HeaderList, exposed: readonly string[]): string[] {
  switch (type) {
    case 'basic':
      return responseHeaders.map(([n]) => n).filter((n) => !isForbiddenResponseHeaderName(n));
    case 'cors':
      return responseHeaders.map(([n]) => n).filter((n) => isCorsSafelistedResponseHeaderName(n, exposed));
    case 'opaque':
    case 'opaqueredirect':
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// MIME Sniffing "parse a MIME type" (the strict parser the Content-Type safelist requires).

export interface MimeType {
  type: string;
  subtype: string;
  essence: string;
  parameters: Map<string, string>;
}

const QUOTED_STRING_TOKEN_RE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/** Fetch §2.2 "collect an HTTP quoted string" with the extract-value flag set. */
function collectHttpQuotedString(input: string, start: number): { value: string; position: number } {
  let position = start + 1; // skip the opening U+0022
  let value = '';
  for (;;) {
    while (position < input.length && input[position] !== '"' && input[position] !== '\\') {
      value += input[position];
      position++;
    }
    if (position >= input.length) break;
    const quoteOrBackslash = input[position];
    position++;
    if (quoteOrBackslash === '\\') {
      if (position >= input.length) {
        value += '\\';
        break;
      }
      value += input[position];
      position++;
    } else {
      break;
    }
  }
  return { value, position };
}

export function parseMimeType(raw: string): MimeType | Failure {
  const input = normalizeHeaderValue(raw);
  const slash = input.indexOf('/');
  const type = slash === -1 ? input : input.slice(0, slash);
  if (type === '' || !isHttpToken(type)) return FAILURE;
  if (slash === -1) return FAILURE;
  let position = slash + 1;
  let semicolon = input.indexOf(';', position);
  if (semicolon === -1) semicolon = input.length;
  const subtype = input.slice(position, semicolon).replace(/[\t\n\r ]+$/, '');
  if (subtype === '' || !isHttpToken(subtype)) return FAILURE;
  position = semicolon;
  const mime: MimeType = {
    type: byteLowercase(type),
    subtype: byteLowercase(subtype),
    essence: `${byteLowercase(type)}/${byteLowercase(subtype)}`,
    parameters: new Map(),
  };
  while (position < input.length) {
    position++; // skip ";"
    while (position < input.length && isHttpWhitespace(input[position])) position++;
    let nameEnd = position;
    while (nameEnd < input.length && input[nameEnd] !== ';' && input[nameEnd] !== '=') nameEnd++;
    const name = byteLowercase(input.slice(position, nameEnd));
    position = nameEnd;
    if (position < input.length) {
      if (input[position] === ';') continue;
      position++; // skip "="
    }
    if (position >= input.length) break;
    let value: string;
    if (input[position] === '"') {
      const collected = collectHttpQuotedString(input, position);
      value = collected.value;
      position = collected.position;
      while (position < input.length && input[position] !== ';') position++;
    } else {
      let valueEnd = position;
      while (valueEnd < input.length && input[valueEnd] !== ';') valueEnd++;
      value = input.slice(position, valueEnd).replace(/[\t\n\r ]+$/, '');
      position = valueEnd;
      if (value === '') continue;
    }
    if (name !== '' && isHttpToken(name) && QUOTED_STRING_TOKEN_RE.test(value) && !mime.parameters.has(name)) {
      mime.parameters.set(name, value);
    }
  }
  return mime;
}

/**
 * "Get, decode, and split" a header name from a header list (§2.2.2): null when absent; else
 * the combined value split on commas outside quoted strings, each part stripped of HTTP tab or
 * space. A quoted string stays whole, quotes included (`"1,2", 3` is « `"1,2"`, `3` »).
 */
export function getDecodeSplit(list: HeaderList, name: string): string[] | null {
  const input = getHeader(list, name);
  return input === null ? null : decodeSplit(input);
}

/**
 * The value-level half of "get, decode, and split" (§2.2.2), which the forbidden
 * request-header rule applies to a single value: split on commas outside quoted strings, each
 * part stripped of HTTP tab or space, a quoted string kept whole with its quotes.
 */
export function decodeSplit(input: string): string[] {
  const values: string[] = [];
  let position = 0;
  let temporary = '';
  for (;;) {
    while (position < input.length && input[position] !== '"' && input[position] !== ',') temporary += input[position++];
    if (position < input.length && input[position] === '"') {
      const start = position;
      position = collectHttpQuotedString(input, position).position;
      temporary += input.slice(start, position);
      if (position < input.length) continue;
    }
    values.push(trimOws(temporary));
    temporary = '';
    if (position >= input.length) return values;
    position++; // the U+002C (,) that ended the value
  }
}

/**
 * "Extract a MIME type" (§2.2.2) from a header list: the Content-Type values got, decoded and
 * split (so a comma inside a quoted string does not start a new value), the last one that
 * parses and is not `*` / `*` wins; a later value of the same essence without a charset keeps
 * the earlier charset. Failure when none parses.
 */
export function extractMimeType(list: HeaderList): MimeType | Failure {
  const values = getDecodeSplit(list, 'Content-Type');
  if (values === null) return FAILURE;
  let charset: string | null = null;
  let essence: string | null = null;
  let mimeType: MimeType | Failure = FAILURE;
  for (const value of values) {
    const temporary = parseMimeType(value);
    if (temporary === FAILURE || temporary.essence === '*/*') continue;
    mimeType = temporary;
    if (mimeType.essence !== essence) {
      charset = mimeType.parameters.get('charset') ?? null;
      essence = mimeType.essence;
    } else if (!mimeType.parameters.has('charset') && charset !== null) {
      mimeType.parameters.set('charset', charset);
    }
  }
  return mimeType;
}

/** MIME Sniffing "serialize a MIME type": the essence, then each parameter as `;name=value`, the
 *  value quoted (with `"` and `\\` escaped) when it is empty or not a token. */
export function serializeMimeType(mime: MimeType): string {
  let out = mime.essence;
  for (const [name, value] of mime.parameters) {
    const quoted = value === '' || !isHttpToken(value) ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : value;
    out += `;${name}=${quoted}`;
  }
  return out;
}
