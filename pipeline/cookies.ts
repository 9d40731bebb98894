// The signed-in user's cookie: set on a target origin by a first-party navigation before any
// probe runs, then sent (or not) by the browser as its cookie policy decides.
import type { Header } from '../model/case.ts';
import { getHeader } from '../oracle/index.ts';

export const COOKIE_NAME = 'cc_session';

/** The first-party navigations that give the browser the cookie on each target origin. */
export function cookieSetupUrls(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    const secure = origin.startsWith('https:');
    const attrs = secure ? 'Path=/; SameSite=None; Secure' : 'Path=/; SameSite=Lax';
    return `${origin}/__cc/cookie?${new URLSearchParams({ name: COOKIE_NAME, value: 'secret-value', attrs })}`;
  });
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
