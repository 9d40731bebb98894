// The signed-in user's cookie: set on a target origin by a first-party navigation before any
// probe runs, then sent (or not) by the browser as its cookie policy decides. Either the test
// cookie (cc_session, a made-up value) or, when grading with the user's cookies (CORS_COOKIES), the user's real
// session cookies, whose values the proxy route holds (servers/proxy-endpoints.ts).
import type { Header } from '../model/case.ts';
import { getHeader } from '../oracle/index.ts';
import { SESSION_COOKIE_PATH, SESSION_KEY_PARAM } from '../servers/proxy-endpoints.ts';

export const COOKIE_NAME = 'cc_session';

/** The test cookie's name on plain http origins. A host has one cookie jar for both schemes,
 *  and an http page may not overwrite a Secure cookie of the same name: once an https origin
 *  of a host had `cc_session`, setting it on the http origin failed, and no http request of
 *  that host carried a cookie for the rest of the run. */
const HTTP_COOKIE_NAME = 'cc_session_http';

/** Either name of the test cookie (a request carries one of them when it carries the cookie). */
export const TEST_COOKIE_NAMES: readonly string[] = [COOKIE_NAME, HTTP_COOKIE_NAME];

export interface SessionCookie {
  name: string;
  value: string;
}

/** The first-party navigations that give the browser the test cookie on each origin. */
export function cookieSetupUrls(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    const https = origin.startsWith('https:');
    const attrs = https ? 'Path=/; SameSite=None; Secure' : 'Path=/; SameSite=Lax';
    return `${origin}/__cc/cookie?${new URLSearchParams({ name: https ? COOKIE_NAME : HTTP_COOKIE_NAME, value: 'secret-value', attrs })}`;
  });
}

/** The navigations that give the browser the session cookies their routes hold. */
export function sessionSetupUrls(origins: readonly string[], key: string): string[] {
  return origins.map((origin) => `${origin}${SESSION_COOKIE_PATH}?${SESSION_KEY_PARAM}=${encodeURIComponent(key)}`);
}

/** The navigations that take them out of the jar again. */
export function sessionClearUrls(origins: readonly string[], key: string): string[] {
  return origins.map((origin) => `${origin}${SESSION_COOKIE_PATH}?${SESSION_KEY_PARAM}=${encodeURIComponent(key)}&clear`);
}

/**
 * The attributes of the user's session cookie on `origin`. On https, what an API used from other sites
 * must set for its cookie to travel at all: SameSite=None, which browsers accept only with
 * Secure; HttpOnly as session cookies are. On plain http Secure is impossible, and with it
 * SameSite=None, so the cookie is Lax, as browsers default it.
 */
export function cookieAttributes(origin: string): string {
  return origin.startsWith('https:') ? 'Path=/; Secure; HttpOnly; SameSite=None' : 'Path=/; HttpOnly; SameSite=Lax';
}

/** The Set-Cookie values that put `cookies` into a browser's jar for `origin`. */
export function sessionSetCookies(origin: string, cookies: readonly SessionCookie[]): string[] {
  return cookies.map((c) => `${c.name}=${c.value}; ${cookieAttributes(origin)}`);
}

/** The cookie names a request carried (values are redacted before anything is logged). */
export function cookieNames(requestHeaders: readonly Header[]): string[] {
  const cookie = getHeader(requestHeaders, 'cookie');
  return cookie
    ? cookie
        .split(';')
        .map((p) => p.split('=')[0]?.trim() ?? '')
        .filter(Boolean)
    : [];
}
