// One finding per root cause: the per-origin findings are evidence; a cause names the one
// mistake that explains them, with one fix. A server that reflects every origin has one
// cause for it, not a finding per attack class; `null` and a missing Vary are causes of
// their own only when they are separate mistakes.
import { CATEGORIES, type CategoryInfo, type FindingCategory, ORIGIN_CHECK_FIX, type OtherFindingCategory, SEVERITY_RANK, type Severity } from './findings.ts';
import { getHeader } from '../../oracle/index.ts';
import type { Finding } from '../types.ts';
import type { Count } from '../../model/schemas.ts';
import { originRules, type Policy, rulesFor } from '../input/policy.ts';
import { concreteAllowedOrigins } from '../search/candidates.ts';

/** The mistakes in an origin check; every other finding category is a cause of its own. */
type OriginCauseCategory =
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
  | 'origin-accepted-outside-browsers';

export type CauseCategory = OriginCauseCategory | OtherFindingCategory;

/** One root cause: the mistake that explains its findings, with one fix. */
export interface Cause {
  category: CauseCategory;
  title: string;
  severity: Severity;
  /** What was seen, in one sentence. */
  summary: string;
  /**
   * The paths its findings are on.
   * @minItems 1
   */
  paths: string[];
  /** The allowed origins or patterns the attacks imitated, where they imitate one. */
  imitates: string[];
  /**
   * Indexes into the report's findings[]: the evidence.
   * @minItems 1
   */
  findings: Count[];
  fix: string;
}

/** What each origin-check mistake is and its fix; the other causes read theirs from findings.ts. */
const ORIGIN_CAUSES: Record<OriginCauseCategory, CategoryInfo> = {
  'reflects-any-origin': {
    title: 'The server reflects any Origin into Access-Control-Allow-Origin',
    fix: `Stop echoing the Origin header. ${ORIGIN_CHECK_FIX}`,
  },
  'wildcard-origin': {
    title: 'The server answers Access-Control-Allow-Origin: * although the policy lists origins',
    fix: 'Send the caller\'s origin from the allowlist instead of "*", with Vary: Origin; or declare "*" in the policy if the data is public.',
  },
  'null-allowed': CATEGORIES['null-origin'],
  'unanchored-match': {
    title: 'The origin check matches part of the Origin, not all of it',
    fix: `Anchor the match at both ends (^…$), or better: ${ORIGIN_CHECK_FIX}`,
  },
  'unescaped-dot': {
    title: 'A dot in the origin check matches any character (an unescaped regex dot)',
    fix: `Escape every dot in origin regexes (\\.), or better: ${ORIGIN_CHECK_FIX}`,
  },
  'subdomain-trusted': {
    title: 'Subdomains the policy does not list are trusted',
    fix: 'Match only the subdomains the policy lists; a subdomain taken over or with an XSS bug could otherwise read the API.',
  },
  'parent-domain-trusted': {
    title: 'A parent domain of an allowed origin is trusted',
    fix: `A pattern "*.example.com" does not cover example.com itself, and an exact origin covers no other host. ${ORIGIN_CHECK_FIX}`,
  },
  'scheme-not-checked': {
    title: 'The origin check ignores the scheme',
    fix: 'Compare the scheme too and allow only https origins: a network attacker can inject script into any http page of that host.',
  },
  'port-not-checked': { title: 'The origin check ignores the port', fix: 'Compare the full origin, port included.' },
  'lenient-host-match': {
    title: 'The origin check accepts a host spelled differently (trailing dot, look-alike)',
    fix: `Compare the serialized origin byte for byte. ${ORIGIN_CHECK_FIX}`,
  },
  'third-party-trusted': CATEGORIES['third-party-origin'],
  'origin-accepted-outside-browsers': {
    title: 'The server accepts Origin values no browser can send',
    fix: `No browser can stand on these origins, so no page can use them; but the check is looser than meant. ${ORIGIN_CHECK_FIX}`,
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
function isOriginFinding(c: FindingCategory): boolean {
  const cause = CAUSE_OF[c];
  return cause === 'broad' || (cause in ORIGIN_CAUSES && c !== 'unreachable-origin-accepted');
}

/** A cause's title and fix. */
function causeInfo(c: CauseCategory): CategoryInfo {
  return c in ORIGIN_CAUSES ? ORIGIN_CAUSES[c as OriginCauseCategory] : CATEGORIES[c as OtherFindingCategory];
}

/** The Access-Control-Allow-Origin of the response that let the attacker read. */
function answeredAcao(f: Finding): string | null {
  for (const e of [...f.evidence].reverse()) {
    const v = getHeader(e.responseHeaders, 'Access-Control-Allow-Origin');
    if (v !== null) return v;
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

/** The causes of one scope's findings (`indexes` into `findings`), with its allowed origins. */
function causesOnPath(findings: Finding[], indexes: number[], allowed: readonly string[], put: (c: CauseCategory, i: number) => void): void {
  // An unrelated site that could read is the broadest mistake: the server accepts any origin,
  // by answering "*" or by echoing the Origin. Every attacker finding whose response did the
  // same is explained by it.
  const arbitrary = indexes.map((i) => findings[i]).find((f) => f?.category === 'arbitrary-origin');
  const broad: CauseCategory | null = arbitrary ? (answeredAcao(arbitrary) === '*' ? 'wildcard-origin' : 'reflects-any-origin') : null;
  // The allowed origins an unanchored match was shown for, at either end.
  const openEnd = new Set<string>();
  const openStart = new Set<string>();
  for (const f of indexes.map((i) => findings[i])) {
    if (!f) continue;
    const shared = sharedPart(f.origin, f.category, allowed);
    if (f.category === 'prefix-bypass' && shared.prefix) openEnd.add(shared.prefix);
    if (f.category === 'suffix-bypass' && shared.suffix) openStart.add(shared.suffix);
  }
  for (const i of indexes) {
    const f = findings[i];
    if (!f) continue;
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
      continue;
    }
    const shared = isOriginFinding(f.category) ? sharedPart(f.origin, f.category, allowed) : { prefix: null, suffix: null };
    if ((shared.prefix && openEnd.has(shared.prefix)) || (shared.suffix && openStart.has(shared.suffix))) put('unanchored-match', i);
    else put(own, i);
  }
}

/**
 * Which paths share an origin check (`scope`; paths with the same allowed origins and
 * credentials are analysed together, so that an error page under a path is explained with
 * it), and the concrete allowed origins on a path: the exact ones and the samples of the
 * patterns. Where no path has rules of its own, every path is in one scope.
 */
export interface PathScopes {
  scope(path: string): string;
  allowed(path: string): readonly string[];
}

/** The scopes of a policy: each path's rules say its scope and its allowed origins. */
export function pathScopes(policy: Policy): PathScopes {
  return {
    scope: (path) => {
      const { origins, credentials } = rulesFor(policy, path).rules;
      return JSON.stringify([origins, credentials]);
    },
    allowed: (path) => concreteAllowedOrigins(originRules(rulesFor(policy, path).rules)),
  };
}

/**
 * Groups findings into their root causes, the most severe first. An attacker origin that
 * starts with one of its scope's allowed origins (a port, a trailing dot, a character after
 * the host) is the same unanchored match as the prefix attack that shows it, when that attack
 * was read too. Each scope's findings are explained by that scope's own mistakes: a server may
 * check origins well on one path and reflect them on another. A cause names every path it was
 * seen on.
 */
export function findCauses(findings: Finding[], scopes: PathScopes): Cause[] {
  const groups = new Map<CauseCategory, number[]>();
  const put = (c: CauseCategory, i: number) => groups.set(c, [...(groups.get(c) ?? []), i]);
  const byScope = new Map<string, { indexes: number[]; allowed: readonly string[] }>();
  findings.forEach((f, i) => {
    const key = scopes.scope(f.path);
    const group = byScope.get(key) ?? { indexes: [], allowed: scopes.allowed(f.path) };
    group.indexes.push(i);
    byScope.set(key, group);
  });
  for (const g of byScope.values()) causesOnPath(findings, g.indexes, g.allowed, put);
  const causes: Cause[] = [];
  for (const [category, indexes] of groups) {
    indexes.sort((a, b) => a - b);
    const own = indexes.map((i) => findings[i]).filter((f): f is Finding => f !== undefined);
    const severity = own.reduce<Severity>((s, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[s] ? f.severity : s), 'info');
    const engines = [...new Set(own.flatMap((f) => f.engines))].sort();
    const origins = [...new Set(own.map((f) => f.origin))];
    const imitates = [...new Set(own.flatMap((f) => (f.imitates ? [f.imitates] : [])))];
    const credentialed = own.some((f) => f.credentialed);
    // With a session cookie given: which engines' reads were made with the user's real session.
    const withSession = [...new Set(own.filter((f) => f.session === 'sent').flatMap((f) => f.engines))].sort();
    const read = withSession.length
      ? `; an attacker read with the user's session in ${withSession.join(', ')}`
      : own.some((f) => f.session === 'not-sent')
        ? "; an attacker read with credentials, but no browser sent the user's session"
        : credentialed
          ? "; an attacker read with the user's credentials"
          : '';
    const paths = [...new Set(own.map((f) => f.path))];
    const on = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
    const shown = origins.slice(0, 3).join(', ') + (origins.length > 3 ? ` and ${origins.length - 3} more` : '');
    const where = engines.length ? ` in ${engines.join(', ')}` : ' (seen without a browser)';
    causes.push({
      category,
      title: causeInfo(category).title,
      severity,
      summary: `${own.length} finding(s)${where} on ${on}, from ${shown}${read}.`,
      paths,
      imitates,
      findings: indexes,
      fix: causeInfo(category).fix,
    });
  }
  return causes.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.findings.length - a.findings.length);
}
