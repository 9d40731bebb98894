// The page origins a grading run uses: a representative of each allowed origin (intended
// uses), and the attacker origins that security scanners probe for, derived from each
// allowed origin. Every one is a virtual origin
// the proxy serves; none leaves the machine. An attacker origin the policy itself allows
// is dropped: it is not an attack then (but for an unrelated site under "*", which may read
// only without credentials).
import { ANY_SITE_ORIGIN, ATTACKER_DOMAIN, ATTACKER_LABEL, BATTERY_HOSTING_ORIGINS, CROSS_SITE_ORIGIN } from '../../model/virtual-origins.ts';
import { allowsOrigin, type OriginRule } from '../input/policy.ts';

export type AttackCategory =
  | 'arbitrary-origin'
  | 'null-origin'
  | 'prefix-bypass'
  | 'suffix-bypass'
  | 'substring-bypass'
  | 'unescaped-dot'
  | 'special-character-bypass'
  | 'subdomain'
  | 'scheme-downgrade'
  | 'port-mismatch'
  | 'third-party-origin';

export interface AttackerOrigin {
  category: AttackCategory;
  /** The page's origin; for null-origin, the page that hosts the sandboxed iframe. */
  origin: string;
  /** The Origin the target sees: the page origin, or "null" from a sandboxed iframe. */
  sentOrigin: string;
  opaque: 'sandboxed-iframe' | null;
  /** Which allowed origin it imitates, and how. */
  imitates: string | null;
  how: string;
}

/** A concrete origin a browser can stand on, for each allowed origin rule. */
export function allowedSamples(rules: OriginRule[]): string[] {
  const out = rules.map((r) => {
    if (r.kind === 'any') return ANY_SITE_ORIGIN;
    if (r.kind === 'exact') return r.origin;
    return `${r.scheme}//app.${r.suffix}${r.port ? `:${r.port}` : ''}`;
  });
  return [...new Set(out)];
}

function withHost(scheme: string, host: string, port: string): string {
  return `${scheme}//${host}${port ? `:${port}` : ''}`;
}

export function attackerOrigins(rules: OriginRule[]): AttackerOrigin[] {
  const out: AttackerOrigin[] = [
    { category: 'arbitrary-origin', origin: CROSS_SITE_ORIGIN, sentOrigin: CROSS_SITE_ORIGIN, opaque: null, imitates: null, how: 'an unrelated site' },
    {
      category: 'null-origin',
      origin: CROSS_SITE_ORIGIN,
      sentOrigin: 'null',
      opaque: 'sandboxed-iframe',
      imitates: null,
      how: 'a sandboxed iframe, which any site can create, sends Origin: null',
    },
    ...BATTERY_HOSTING_ORIGINS.map((o) => ({
      category: 'third-party-origin' as const,
      origin: o,
      sentOrigin: o,
      opaque: null,
      imitates: null,
      how: 'a page on a public hosting domain anyone can publish on',
    })),
  ];
  for (const r of rules) {
    if (r.kind === 'any') continue;
    const url = new URL(r.kind === 'exact' ? r.origin : `${r.scheme}//cc.${r.suffix}`);
    const scheme = url.protocol;
    const port = url.port;
    const host = r.kind === 'exact' ? url.hostname : r.suffix;
    const imitates = r.kind === 'exact' ? r.origin : r.text;
    const add = (category: AttackCategory, h: string, how: string, p = port, s = scheme) => {
      const origin = withHost(s, h, p);
      out.push({ category, origin, sentOrigin: origin, opaque: null, imitates, how });
    };
    add('prefix-bypass', `${host}.${ATTACKER_DOMAIN}`, `the allowed host as a prefix of the attacker's host`);
    add('suffix-bypass', `${ATTACKER_LABEL}${host}`, `the allowed host as a suffix of the attacker's host`);
    add('substring-bypass', host.slice(1), `a substring of the allowed host`);
    add(
      'unescaped-dot',
      r.kind === 'exact' ? host.replace('.', 'x') : `wwwx${host}`,
      'the allowed host with a dot replaced, as an unescaped regex dot matches',
    );
    for (const ch of ['_', '-', '%60'])
      add('special-character-bypass', `${host}${ch}.${ATTACKER_DOMAIN}`, `"${decodeURIComponent(ch)}" after the allowed host, before the attacker's domain`);
    if (r.kind === 'exact') add('subdomain', `${ATTACKER_LABEL}.${host}`, 'a subdomain the policy does not list');
    if (scheme === 'https:') add('scheme-downgrade', host, 'the same host over plain http', port, 'http:');
    add('port-mismatch', host, 'the same host on another port', port === '8443' ? '9443' : '8443');
  }
  const seen = new Set<string>();
  // Under "*" alone an unrelated site may read, but never with credentials: it stays, to show that.
  const anyOnly = rules.length > 0 && rules.every((r) => r.kind === 'any');
  return out.filter((a) => {
    const key = `${a.category} ${a.sentOrigin} ${a.origin}`;
    if (seen.has(key) || (allowsOrigin(rules, a.sentOrigin) && !(anyOnly && a.category === 'arbitrary-origin'))) return false;
    try {
      new URL(a.origin);
    } catch {
      return false;
    }
    seen.add(key);
    return true;
  });
}
