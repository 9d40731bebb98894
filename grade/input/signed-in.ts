// Grading as a signed-in user: the user's session cookies ('name=value' lines of CORS_COOKIES
// or --cookie-file) and the values the intended callers send for the policy's request headers
// ('Authorization: Bearer …' lines of CORS_REQUEST_HEADERS or --request-header-file). They
// never come from the command line, where every user of the machine can read them. Checked at
// the door, each error naming the cookie or header (by its place, never its value) and the fix and
// never repeating a value. Every value given here is a secret: it is redacted wherever the
// run writes (servers/redact.ts).
import type { Header } from '../../model/case.ts';
import { isForbiddenRequestHeader, isHttpToken } from '../../oracle/index.ts';
import type { SessionCookie } from '../../pipeline/cookies.ts';
import type { Secrets } from '../../servers/redact.ts';
import type { Policy } from './policy.ts';
import { UserError, type UserErrorDetails } from '../../model/errors.ts';

export class GradeFlagError extends UserError {
  constructor(message: string, details: UserErrorDetails = {}) {
    super(message, { showUsage: true, ...details });
  }
}

export interface SignedIn {
  /** Put into each engine's jar for the target before any probe; sent as the browser decides. */
  cookies: SessionCookie[];
  /** Sent by the intended (allowed-origin) probes instead of sample values; never by an attacker page. */
  requestHeaders: Header[];
}

export const NOT_SIGNED_IN: SignedIn = { cookies: [], requestHeaders: [] };

export interface SignedInFlags {
  cookie?: readonly string[];
  'request-header'?: readonly string[];
}

const COOKIE_EXAMPLE = 'sid=0123abcd';

/** What a character is called in an error (the value itself is never shown). */
function describeChar(c: string): string {
  const names: Record<string, string> = { ' ': 'a space', '\t': 'a tab', '"': 'a double quote', ',': 'a comma', ';': 'a semicolon', '\\': 'a backslash' };
  const code = c.codePointAt(0) ?? 0;
  return names[c] ?? (code < 0x20 || code === 0x7f ? `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})` : `"${c}"`);
}

/** RFC 6265's cookie-octet: visible ASCII but for double quote, comma, semicolon and backslash. */
function isCookieOctet(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0x21 && code <= 0x7e && c !== '"' && c !== ',' && c !== ';' && c !== '\\';
}

/** One cookie, `name=value`; `n` counts them from 1. */
export function parseCookieFlag(raw: string, n = 1): SessionCookie {
  const at = `cookie #${n}`;
  const eq = raw.indexOf('=');
  if (eq < 0) throw new GradeFlagError(`${at} has no "=": write it as name=value, e.g. ${COOKIE_EXAMPLE}`);
  const name = raw.slice(0, eq).trim();
  const value = raw.slice(eq + 1).trim();
  if (!name) throw new GradeFlagError(`${at}: the cookie name before "=" is empty; write it as name=value, e.g. ${COOKIE_EXAMPLE}`);
  if (!isHttpToken(name)) {
    const bad = [...name].find((c) => !isHttpToken(c)) ?? name;
    throw new GradeFlagError(
      `cookie ${JSON.stringify(name)}=…: the name has ${describeChar(bad)}, which a cookie name cannot hold (letters, digits and !#$%&'*+-.^_\`|~ only); give the name exactly as your server sets it`,
    );
  }
  if (!value) throw new GradeFlagError(`cookie ${name}=: the value is empty; give the session's value, e.g. ${COOKIE_EXAMPLE}`);
  // A value may be wrapped in double quotes as a whole (RFC 6265), which belong to it.
  const inner = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  const badAt = [...inner].findIndex((c) => !isCookieOctet(c));
  if (badAt >= 0) {
    throw new GradeFlagError(
      `cookie ${name}=…: character ${badAt + 1} of the value is ${describeChar([...inner][badAt] ?? '')}, which a cookie value cannot hold (no spaces, control characters, double quotes, commas, semicolons or backslashes); encode it as your server decodes it (usually percent-encoding), or give each cookie on a line of its own`,
    );
  }
  return { name, value };
}

/** One request header value, `Name: value`, for a header the policy lists. */
export function parseRequestHeaderFlag(raw: string, policy: Pick<Policy, 'requestHeaders'>, n = 1): Header {
  const at = `request header #${n}`;
  const colon = raw.indexOf(':');
  if (colon < 0) throw new GradeFlagError(`${at} has no ":": write it as 'Name: value', e.g. 'Authorization: Bearer <token>'`);
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  if (!name) throw new GradeFlagError(`${at}: the header name before ":" is empty; write it as 'Name: value'`);
  if (!isHttpToken(name)) throw new GradeFlagError(`request header ${JSON.stringify(name)}: not a header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
  if (name.toLowerCase() === 'cookie')
    throw new GradeFlagError(`request header ${name}: pages cannot set Cookie; give each cookie as a name=value line of its own (CORS_COOKIES) instead`);
  if (isForbiddenRequestHeader(name, value))
    throw new GradeFlagError(`request header ${name}: a forbidden request header; no page can set it, so leave it out`);
  const listed = policy.requestHeaders.find((h) => h.toLowerCase() === name.toLowerCase());
  if (!listed) {
    const has = policy.requestHeaders.length ? `it lists ${policy.requestHeaders.join(', ')}` : 'it lists none';
    throw new GradeFlagError(
      `request header ${name}: the policy's requestHeaders does not list ${name} (${has}); add "${name}" to requestHeaders in the policy if your callers send it, or leave the header out`,
    );
  }
  if (!value) throw new GradeFlagError(`request header ${name}: the value is empty; give the value your callers send, e.g. 'Authorization: Bearer <token>'`);
  if (/[\0\r\n]/.test(value))
    throw new GradeFlagError(`request header ${name}: the value holds a line break or NUL, which no header value can; give it on one line`);
  return [listed, value];
}

/** The given cookies and request header values, checked against the policy. */
export function signedInFrom(flags: SignedInFlags, policy: Pick<Policy, 'requestHeaders'>): SignedIn {
  const cookies = (flags.cookie ?? []).map((c, i) => parseCookieFlag(c, i + 1));
  const requestHeaders = (flags['request-header'] ?? []).map((h, i) => parseRequestHeaderFlag(h, policy, i + 1));
  const twice = <T>(list: T[], key: (t: T) => string) => list.map(key).find((k, i, all) => all.indexOf(k) !== i);
  const cookieTwice = twice(cookies, (c) => c.name);
  if (cookieTwice) throw new GradeFlagError(`cookie ${cookieTwice}: given twice; give each cookie once`);
  const headerTwice = twice(requestHeaders, ([h]) => h.toLowerCase());
  if (headerTwice) throw new GradeFlagError(`request header ${headerTwice}: given twice; give each header once`);
  return { cookies, requestHeaders };
}

/** What the run must redact: the given headers by name, and every given value wherever it shows up. */
export function secretsOf(s: SignedIn): Secrets {
  const values = [
    // A quoted value's inside too, should a server echo it without its quotes.
    ...s.cookies.flatMap((c) => (c.value.startsWith('"') && c.value.length > 2 ? [c.value, c.value.slice(1, -1)] : [c.value])),
    ...s.requestHeaders.flatMap(([, v]) => {
      // "Bearer <token>": the token alone is the secret too, should a server echo it.
      const rest = v.slice(v.indexOf(' ') + 1).trim();
      return v.includes(' ') && rest ? [v, rest] : [v];
    }),
  ];
  return { headers: s.requestHeaders.map(([n]) => n), values: [...new Set(values)] };
}
