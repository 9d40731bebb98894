// Finding categories: what each means, how bad it is, and how to fix it. Attacker-origin
// findings are raised only from what a real browser could read, never from headers alone.
import type { CandidateClass } from '../search/candidates.ts';

/** Findings about something other than which origins may read; each is its own root cause. */
export type OtherFindingCategory =
  | 'wildcard-with-credentials'
  | 'missing-vary'
  | 'error-response-without-cors'
  | 'intended-use-blocked'
  | 'exposed-header-missing'
  | 'preflight-not-cached'
  | 'reflected-method'
  | 'reflected-request-header'
  | 'options-treated-as-preflight';

export type FindingCategory = CandidateClass | 'unreachable-origin-accepted' | OtherFindingCategory;

/** info findings are reported but never fail the grade. */
export type Severity = 'high' | 'medium' | 'low' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1, info: 0 };

/** Whether a finding or cause of this severity fails the grade (everything but info). */
export function failsGrade(severity: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK.low;
}

export interface CategoryInfo {
  title: string;
  fix: string;
}

export const ORIGIN_CHECK_FIX =
  'Compare the Origin header with an exact allowlist (whole-string equality), or parse it as a URL and compare scheme, host and port; never use substring, prefix/suffix or unanchored regex matching.';

export const CATEGORIES: Record<FindingCategory, CategoryInfo> = {
  'arbitrary-origin': { title: 'Any origin can read responses', fix: 'Stop reflecting the Origin header. ' + ORIGIN_CHECK_FIX },
  'null-origin': {
    title: 'The null origin is trusted',
    fix: 'Never allow "null": sandboxed iframes and data: documents on any site send it. Remove it from the allowlist.',
  },
  'prefix-bypass': { title: "The allowed host as a prefix of an attacker's host is trusted", fix: 'Anchor the end of the match: ' + ORIGIN_CHECK_FIX },
  'suffix-bypass': {
    title: "The allowed host as a suffix of an attacker's host is trusted",
    fix: 'Anchor the start of the match at the scheme: ' + ORIGIN_CHECK_FIX,
  },
  'substring-bypass': { title: 'A substring of the allowed host is trusted', fix: ORIGIN_CHECK_FIX },
  'unescaped-dot': {
    title: 'A host with a dot replaced is trusted (unescaped regex dot)',
    fix: 'Escape dots in origin regexes (\\.), or better, compare exact strings. ' + ORIGIN_CHECK_FIX,
  },
  'special-character-bypass': {
    title: 'A host with special characters after the allowed host is trusted',
    fix: 'Match the whole host, not a prefix up to a character class. ' + ORIGIN_CHECK_FIX,
  },
  subdomain: {
    title: 'An unlisted subdomain is trusted',
    fix: 'List the subdomains that need access; a subdomain taken over or with an XSS bug then cannot read your API.',
  },
  'scheme-downgrade': {
    title: 'The plain-http twin of an https origin is trusted',
    fix: 'Allow only https origins: a network attacker can inject script into any http page of that host.',
  },
  'port-mismatch': { title: 'The allowed host on another port is trusted', fix: 'Compare the full origin, port included.' },
  truncation: { title: 'A truncation of the allowed host is trusted', fix: 'Compare the whole origin: ' + ORIGIN_CHECK_FIX },
  'parent-domain': {
    title: 'A parent domain of an allowed origin is trusted',
    fix: 'A pattern "*.example.com" does not cover example.com itself. ' + ORIGIN_CHECK_FIX,
  },
  'scheme-twin': { title: 'The https twin of an http origin is trusted', fix: 'Compare the scheme too. ' + ORIGIN_CHECK_FIX },
  'trailing-dot': { title: 'The allowed host with a trailing dot is trusted', fix: 'Compare the serialized origin byte for byte. ' + ORIGIN_CHECK_FIX },
  'case-variant': { title: 'An upper-case spelling of the allowed host is trusted', fix: ORIGIN_CHECK_FIX },
  lookalike: { title: 'A look-alike of the allowed host is trusted', fix: ORIGIN_CHECK_FIX },
  'unreachable-origin-accepted': {
    title: 'An Origin no browser can send is accepted',
    fix: 'No page can exploit it, since no browser can stand on such an origin; it shows the origin check is looser than meant. ' + ORIGIN_CHECK_FIX,
  },
  'third-party-origin': {
    title: 'A public hosting domain is trusted',
    fix: 'Remove shared hosting domains (github.io, codepen.io, …) from the allowlist: anyone can publish a page there.',
  },
  'wildcard-with-credentials': {
    title: 'Access-Control-Allow-Origin: * on a credentialed endpoint',
    fix: 'Browsers refuse credentialed responses with "*". Send the caller\'s exact origin (from the allowlist) with Access-Control-Allow-Credentials: true and Vary: Origin.',
  },
  'missing-vary': {
    title: 'Access-Control-Allow-Origin depends on the Origin but Vary: Origin is missing',
    fix: 'Add Vary: Origin to every response whose Access-Control-Allow-Origin is computed from the request, allowed or not, so caches keep one answer per origin.',
  },
  'error-response-without-cors': {
    title: 'Error responses carry no CORS headers',
    fix: 'Send the CORS headers on 4xx and 5xx responses too (run the CORS layer before routing and error handlers), so allowed callers can read the error.',
  },
  'intended-use-blocked': {
    title: 'A use the policy allows is blocked',
    fix: 'Make the server allow what the policy declares: the origin, method, request headers and credentials of this probe.',
  },
  'exposed-header-missing': {
    title: 'A declared exposed header is not readable',
    fix: 'List the header in Access-Control-Expose-Headers on the actual response (not the preflight).',
  },
  'preflight-not-cached': {
    title: 'Preflights are not cached as the policy declares',
    fix: "Send Access-Control-Max-Age with the policy's value on the preflight response (browsers cap it: Chromium 7200 s, Firefox 86400 s, WebKit 600 s).",
  },
  'reflected-method': {
    title: 'A method outside the policy is allowed',
    fix: "Answer Access-Control-Allow-Methods with the policy's methods only; do not echo Access-Control-Request-Method.",
  },
  'options-treated-as-preflight': {
    title: 'An OPTIONS request that is not a preflight got a preflight answer',
    fix: 'Treat only OPTIONS with Origin and Access-Control-Request-Method as a preflight; pass other OPTIONS requests on to the application (in express cors: preflightContinue, or a check for Access-Control-Request-Method).',
  },
  'reflected-request-header': {
    title: 'A request header outside the policy is allowed',
    fix: 'Answer Access-Control-Allow-Headers with the policy\'s headers only; do not echo Access-Control-Request-Headers or send "*".',
  },
};

export function severityFor(category: FindingCategory, credentialed: boolean): Severity {
  switch (category) {
    // Seen from outside a browser, and common in libraries that mean no harm: reported, not failed.
    case 'options-treated-as-preflight':
    case 'unreachable-origin-accepted':
      return 'info';
    case 'wildcard-with-credentials':
    case 'intended-use-blocked':
    case 'reflected-method':
    case 'reflected-request-header':
      return 'medium';
    case 'missing-vary':
      return credentialed ? 'medium' : 'low';
    case 'error-response-without-cors':
    case 'exposed-header-missing':
    case 'preflight-not-cached':
      return 'low';
    default:
      // An attacker page read the response: with the user's cookies that is account data.
      return credentialed ? 'high' : 'medium';
  }
}
