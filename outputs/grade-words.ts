// The sentences every format of a grade shares (terminal, page, Markdown), as plain text: each
// writer makes them safe for its format where it puts them.
import { CROSS_SITE_ORIGIN, SAME_SITE_ORIGIN } from '../model/virtual-origins.ts';
import type { Endpoint } from '../grade/input/endpoints.ts';
import { failsGrade } from '../grade/judge/findings.ts';
import type { GradeReport } from '../grade/types.ts';

/** The signed-in session, names only: the values are never written. */
export function signedInLine(r: GradeReport): string | null {
  const { cookies, requestHeaders } = r.signedIn;
  const parts = [
    ...(cookies.length ? [`cookie(s) ${cookies.join(', ')} (CORS_COOKIES)`] : []),
    ...(requestHeaders.length ? [`${requestHeaders.join(', ')} for the intended callers (CORS_REQUEST_HEADERS)`] : []),
  ];
  return parts.length ? `signed in: ${parts.join('; ')}; values redacted` : null;
}

/** What the measured cookie policy answers. */
export function cookiePolicyQuestion(r: GradeReport): string | null {
  const p = r.cookiePolicy;
  if (!p) return null;
  return `whether the target received ${p.session ? "the user's session cookie" : 'the test cookie'} ${p.cookies.join(', ')} on a credentialed GET from a page on the target itself, on its site (${SAME_SITE_ORIGIN}) and on another site (${CROSS_SITE_ORIGIN})`;
}

/** How many findings that fail the grade are on `path`. */
export function failingOn(r: GradeReport, path: string): number {
  return r.findings.filter((f) => f.path === path && failsGrade(f.severity)).length;
}

/** A path, its methods and where its rules come from, in one line. */
export function endpointLine(e: Endpoint): string {
  const declared = e.declared !== e.path ? `, ${e.source === 'openapi' ? 'OpenAPI' : 'policy'} ${e.declared}` : e.source === 'openapi' ? ', OpenAPI' : '';
  return `${e.path} (${e.methods.join(', ') || 'no intended method'}${declared}; rules of ${e.entry ?? 'the top level'})`;
}
