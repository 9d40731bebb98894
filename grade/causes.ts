// One finding per root cause: the per-origin findings are evidence; a cause names the one
// mistake that explains them, with one fix. A server that reflects every origin has one
// cause for it, not a finding per attack class; `null` and a missing Vary are causes of
// their own only when they are separate mistakes.
import { SEVERITY_RANK, type FindingCategory, type Severity } from './findings.ts';
import type { Finding } from './types.ts';

export type CauseCategory =
  | 'reflects-any-origin'
  | 'wildcard-origin'
  | 'null-allowed'
  | 'unanchored-match'
  | 'unescaped-dot'
  | 'subdomain-trusted'
  | 'parent-domain-trusted'
  | 'scheme-not-checked'
  | 'port-not-checked'
  | 'lenient-host-match'
  | 'third-party-trusted'
  | 'origin-accepted-outside-browsers'
  | 'wildcard-with-credentials'
  | 'missing-vary'
  | 'error-response-without-cors'
  | 'intended-use-blocked'
  | 'exposed-header-missing'
  | 'preflight-not-cached'
  | 'reflected-method'
  | 'reflected-request-header'
  | 'options-treated-as-preflight';

export interface Cause {
  category: CauseCategory;
  title: string;
  severity: Severity;
  /** What was seen, in one sentence. */
  summary: string;
  /** The allowed origins or patterns the attacks imitated, where they imitate one. */
  imitates: string[];
  /** Indexes into the report's findings[]: the evidence. */
  findings: number[];
  fix: string;
}

const EXACT =
  'Compare the Origin header with an exact allowlist (whole-string equality), or parse it as a URL and compare scheme, host and port; never use substring, prefix, suffix or unanchored regex matching.';

const CAUSES: Record<CauseCategory, { title: string; fix: string }> = {
  'reflects-any-origin': {
    title: 'The server reflects any Origin into Access-Control-Allow-Origin',
    fix: `Stop echoing the Origin header. ${EXACT}`,
  },
  'wildcard-origin': {
    title: 'The server answers Access-Control-Allow-Origin: * although the policy lists origins',
    fix: 'Send the caller\'s origin from the allowlist instead of "*", with Vary: Origin; or declare "*" in the policy if the data is public.',
  },
  'null-allowed': {
    title: 'The null origin is trusted',
    fix: 'Never allow "null": sandboxed iframes and data: documents on any site send it. Remove it from the allowlist.',
  },
  'unanchored-match': {
    title: 'The origin check matches part of the Origin, not all of it',
    fix: `Anchor the match at both ends (^…$), or better: ${EXACT}`,
  },
  'unescaped-dot': {
    title: 'A dot in the origin check matches any character (an unescaped regex dot)',
    fix: `Escape every dot in origin regexes (\\.), or better: ${EXACT}`,
  },
  'subdomain-trusted': {
    title: 'Subdomains the policy does not list are trusted',
    fix: 'Match only the subdomains the policy lists; a subdomain taken over or with an XSS bug could otherwise read the API.',
  },
  'parent-domain-trusted': {
    title: 'A parent domain of an allowed origin is trusted',
    fix: `A pattern "*.example.com" does not cover example.com itself, and an exact origin covers no other host. ${EXACT}`,
  },
  'scheme-not-checked': {
    title: 'The origin check ignores the scheme',
    fix: 'Compare the scheme too and allow only https origins: a network attacker can inject script into any http page of that host.',
  },
  'port-not-checked': { title: 'The origin check ignores the port', fix: 'Compare the full origin, port included.' },
  'lenient-host-match': {
    title: 'The origin check accepts a host spelled differently (trailing dot, look-alike)',
    fix: `Compare the serialized origin byte for byte. ${EXACT}`,
  },
  'third-party-trusted': {
    title: 'A public hosting domain is trusted',
    fix: 'Remove shared hosting domains (github.io, codepen.io, …) from the allowlist: anyone can publish a page there.',
  },
  'origin-accepted-outside-browsers': {
    title: 'The server accepts Origin values no browser can send',
    fix: `No browser can stand on these origins, so no page can use them; but the check is looser than meant. ${EXACT}`,
  },
  'wildcard-with-credentials': {
    title: 'Access-Control-Allow-Origin: * on a credentialed endpoint',
    fix: 'Browsers refuse credentialed responses with "*". Send the caller\'s exact origin (from the allowlist) with Access-Control-Allow-Credentials: true and Vary: Origin.',
  },
  'missing-vary': {
    title: 'Access-Control-Allow-Origin depends on the Origin but Vary: Origin is missing',
    fix: 'Add Vary: Origin to every response whose Access-Control-Allow-Origin is computed from the request, allowed or not.',
  },
  'error-response-without-cors': {
    title: 'Error responses carry no CORS headers',
    fix: 'Send the CORS headers on 4xx and 5xx responses too (run the CORS layer before routing and error handlers).',
  },
  'intended-use-blocked': {
    title: 'A use the policy allows is blocked',
    fix: 'Make the server allow what the policy declares: the origin, method, request headers and credentials of the probes listed.',
  },
  'exposed-header-missing': {
    title: 'A declared exposed header is not readable',
    fix: 'List the header in Access-Control-Expose-Headers on the actual response (not the preflight).',
  },
  'preflight-not-cached': {
    title: 'Preflights are not cached as the policy declares',
    fix: "Send Access-Control-Max-Age with the policy's value on the preflight response.",
  },
  'reflected-method': {
    title: 'A method outside the policy is allowed',
    fix: "Answer Access-Control-Allow-Methods with the policy's methods only; do not echo Access-Control-Request-Method.",
  },
  'reflected-request-header': {
    title: 'A request header outside the policy is allowed',
    fix: 'Answer Access-Control-Allow-Headers with the policy\'s headers only; do not echo Access-Control-Request-Headers or send "*".',
  },
  'options-treated-as-preflight': {
    title: 'An OPTIONS request that is not a preflight got a preflight answer',
    fix: 'Treat only OPTIONS with Origin and Access-Control-Request-Method as a preflight; pass other OPTIONS requests on to the application.',
  },
};

/**
 * The cause each finding category points to on its own. `broad` is an unrelated site that
 * could read: the server accepts any origin, by answering "*" or by echoing the Origin.
 */
const CAUSE_OF: Record<FindingCategory, CauseCategory | 'broad'> = {
  'arbitrary-origin': 'broad',
  'null-origin': 'null-allowed',
  'prefix-bypass': 'unanchored-match',
  'suffix-bypass': 'unanchored-match',
  'substring-bypass': 'unanchored-match',
  truncation: 'unanchored-match',
  'special-character-bypass': 'unanchored-match',
  'unescaped-dot': 'unescaped-dot',
  subdomain: 'subdomain-trusted',
  'parent-domain': 'parent-domain-trusted',
  'scheme-downgrade': 'scheme-not-checked',
  'scheme-twin': 'scheme-not-checked',
  'port-mismatch': 'port-not-checked',
  'trailing-dot': 'lenient-host-match',
  'case-variant': 'lenient-host-match',
  lookalike: 'lenient-host-match',
  'third-party-origin': 'third-party-trusted',
  'unreachable-origin-accepted': 'origin-accepted-outside-browsers',
  'wildcard-with-credentials': 'wildcard-with-credentials',
  'missing-vary': 'missing-vary',
  'error-response-without-cors': 'error-response-without-cors',
  'intended-use-blocked': 'intended-use-blocked',
  'exposed-header-missing': 'exposed-header-missing',
  'preflight-not-cached': 'preflight-not-cached',
  'reflected-method': 'reflected-method',
  'reflected-request-header': 'reflected-request-header',
  'options-treated-as-preflight': 'options-treated-as-preflight',
};

/** Attacker findings: a page on an origin the policy does not allow could read. */
const isOriginFinding = (c: FindingCategory): boolean => {
  const cause = CAUSE_OF[c];
  return cause === 'broad' || (cause in ORIGIN_CAUSES && c !== 'unreachable-origin-accepted');
};
const ORIGIN_CAUSES: Partial<Record<CauseCategory, true>> = {
  'null-allowed': true,
  'unanchored-match': true,
  'unescaped-dot': true,
  'subdomain-trusted': true,
  'parent-domain-trusted': true,
  'scheme-not-checked': true,
  'port-not-checked': true,
  'lenient-host-match': true,
  'third-party-trusted': true,
};

/** The Access-Control-Allow-Origin of the response that let the attacker read. */
function answeredAcao(f: Finding): string | null {
  for (const e of [...f.evidence].reverse()) {
    const v = e.responseHeaders.find(([n]) => n.toLowerCase() === 'access-control-allow-origin')?.[1];
    if (v !== undefined) return v;
  }
  return null;
}

/**
 * The allowed origin an attacker origin starts with, and the allowed host its host ends with
 * (or equals, when only the scheme or the port differs).
 */
function sharedPart(origin: string, category: FindingCategory, allowed: readonly string[]): { prefix: string | null; suffix: string | null } {
  const prefix = allowed.find((a) => origin !== a && origin.startsWith(a)) ?? null;
  const sameHostOk = category === 'scheme-downgrade' || category === 'scheme-twin' || category === 'port-mismatch';
  let suffix: string | null = null;
  try {
    const host = new URL(origin).hostname;
    suffix = allowed.map((a) => new URL(a).hostname).find((h) => (host !== h || sameHostOk) && host.endsWith(h)) ?? null;
  } catch {
    suffix = null;
  }
  return { prefix, suffix };
}

/**
 * Groups findings into their root causes, the most severe first. `allowed` are concrete
 * allowed origins (the exact ones and the samples of the patterns): an attacker origin that
 * starts with one of them (a port, a trailing dot, a character after the host) is the same
 * unanchored match as the prefix attack that shows it, when that attack was read too.
 */
export function findCauses(findings: Finding[], allowed: readonly string[] = []): Cause[] {
  const groups = new Map<CauseCategory, number[]>();
  const put = (c: CauseCategory, i: number) => groups.set(c, [...(groups.get(c) ?? []), i]);
  // An unrelated site that could read is the broadest mistake: the server accepts any origin,
  // by answering "*" or by echoing the Origin. Every attacker finding whose response did the
  // same is explained by it.
  const arbitrary = findings.find((f) => f.category === 'arbitrary-origin');
  const broad: CauseCategory | null = arbitrary ? (answeredAcao(arbitrary) === '*' ? 'wildcard-origin' : 'reflects-any-origin') : null;
  // The allowed origins an unanchored match was shown for, at either end.
  const openEnd = new Set<string>();
  const openStart = new Set<string>();
  for (const f of findings) {
    const shared = sharedPart(f.origin, f.category, allowed);
    if (f.category === 'prefix-bypass' && shared.prefix) openEnd.add(shared.prefix);
    if (f.category === 'suffix-bypass' && shared.suffix) openStart.add(shared.suffix);
  }
  findings.forEach((f, i) => {
    const own = CAUSE_OF[f.category];
    const acao = answeredAcao(f);
    // An origin no browser can send carries no browser evidence: a server that accepts any
    // origin accepts it too. And "*" with credentials breaks the credentialed use: the same "*".
    const explainedByBroad =
      broad !== null &&
      (f.category === 'unreachable-origin-accepted' ||
        (broad === 'wildcard-origin' && f.category === 'wildcard-with-credentials') ||
        (isOriginFinding(f.category) && (broad === 'wildcard-origin' ? acao === '*' : acao === f.origin)));
    if (explainedByBroad || own === 'broad') {
      put(broad ?? 'reflects-any-origin', i);
      return;
    }
    const shared = isOriginFinding(f.category) ? sharedPart(f.origin, f.category, allowed) : { prefix: null, suffix: null };
    if ((shared.prefix && openEnd.has(shared.prefix)) || (shared.suffix && openStart.has(shared.suffix))) put('unanchored-match', i);
    else put(own, i);
  });
  const causes: Cause[] = [];
  for (const [category, indexes] of groups) {
    const own = indexes.map((i) => findings[i]).filter((f): f is Finding => f !== undefined);
    const severity = own.reduce<Severity>((s, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[s] ? f.severity : s), 'info');
    const engines = [...new Set(own.flatMap((f) => f.engines))].sort();
    const origins = [...new Set(own.map((f) => f.origin))];
    const imitates = [...new Set(own.flatMap((f) => (f.imitates ? [f.imitates] : [])))];
    const credentialed = own.some((f) => f.credentialed);
    const shown = origins.slice(0, 3).join(', ') + (origins.length > 3 ? ` and ${origins.length - 3} more` : '');
    const where = engines.length ? ` in ${engines.join(', ')}` : ' (seen without a browser)';
    causes.push({
      category,
      title: CAUSES[category].title,
      severity,
      summary: `${own.length} finding(s)${where}, from ${shown}${credentialed ? "; an attacker read with the user's credentials" : ''}.`,
      imitates,
      findings: indexes,
      fix: CAUSES[category].fix,
    });
  }
  return causes.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.findings.length - a.findings.length);
}
