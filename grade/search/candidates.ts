// The origin search's candidates: attacker origins generated from every allowed origin and
// from concrete samples of every pattern, each stating which allowed origin it imitates and
// how. The fixed battery (origins.ts) tries one origin per class; the search tries every
// variant of the classes below, hundreds to a few thousand per policy, screens them over
// HTTP (screen.ts) and confirms the ones the server accepts in the browsers.
import { hostCharactersFor } from './host-characters.ts';
import { allowsOrigin, type OriginRule } from '../input/policy.ts';
import { ATTACKER_DOMAIN, ATTACKER_LABEL, CROSS_SITE_ORIGIN, HOSTING_ORIGINS } from '../../model/virtual-origins.ts';

export type CandidateClass =
  | 'arbitrary-origin'
  | 'null-origin'
  | 'third-party-origin'
  | 'prefix-bypass'
  | 'suffix-bypass'
  | 'substring-bypass'
  | 'truncation'
  | 'unescaped-dot'
  | 'special-character-bypass'
  | 'subdomain'
  | 'parent-domain'
  | 'scheme-downgrade'
  | 'scheme-twin'
  | 'port-mismatch'
  | 'trailing-dot'
  | 'case-variant'
  | 'lookalike';

export interface Candidate {
  class: CandidateClass;
  /** The page's origin: the URL parser's form where it parses, else as written. */
  origin: string;
  /**
   * The Origin header a browser on that page sends: the URL parser's serialization of
   * `origin`, "null" for the sandboxed iframe, or, when the URL parser refuses the host,
   * the written form (which only a client other than a browser can send).
   */
  sentOrigin: string;
  /** Whether the URL parser accepts the origin, so that a browser could stand on it at all. */
  parses: boolean;
  opaque: 'sandboxed-iframe' | null;
  /** The allowed origin (or pattern) it imitates; null for origins unrelated to the policy. */
  imitates: string | null;
  how: string;
}

export interface CandidateSet {
  candidates: Candidate[];
  /** Variants dropped because a browser would send an origin the policy allows (case, default port). */
  collapsed: number;
  /** The concrete origins each pattern was sampled as. */
  samples: string[];
}

/** Every character at least one engine serves in a host, measured (host-characters.ts). */
const HOST_CHARACTER_FORMS = hostCharactersFor();
/**
 * Characters scanners try that no URL parser keeps in a host: a server that accepts them has a
 * looser check than it means, though no page can exploit it (an `info` note, never a finding).
 */
const UNPARSABLE_FORMS = ['%0b', '^', '|'];
/** Concrete subdomains a pattern is sampled as: one and two labels deep. */
const SAMPLE_LABELS = ['app', 'www', 'cc-sample', 'api.app', 'a.b'];
/** Letters that stand in for a dot, as an unescaped regex dot matches any character. */
const DOT_STAND_INS = ['x', '-', '0'];
/** Look-alikes of a label: a letter doubled, swapped for a similar one, a hyphen inserted. */
function lookalikes(label: string): string[] {
  const out = new Set<string>();
  if (label.length > 1) out.add(`${label[0]}${label}`);
  out.add(label.replace(/m/, 'rn').replace(/l/, '1').replace(/o/, '0'));
  out.add(`${label}-secure`);
  out.add(`${label}s`);
  out.delete(label);
  return [...out];
}

interface Allowed {
  scheme: string;
  host: string;
  port: string;
  imitates: string;
  /** The pattern's suffix, for a sample of a pattern. */
  suffix: string | null;
}

function origin(scheme: string, host: string, port: string): string {
  return `${scheme}//${host}${port ? `:${port}` : ''}`;
}

function allowedHosts(rules: OriginRule[]): { allowed: Allowed[]; samples: string[] } {
  const allowed: Allowed[] = [];
  const samples: string[] = [];
  for (const r of rules) {
    if (r.kind === 'any') continue;
    if (r.kind === 'exact') {
      const url = new URL(r.origin);
      allowed.push({ scheme: url.protocol, host: url.hostname, port: url.port, imitates: r.origin, suffix: null });
      continue;
    }
    for (const label of SAMPLE_LABELS) {
      const host = `${label}.${r.suffix}`;
      samples.push(origin(r.scheme, host, r.port));
      allowed.push({ scheme: r.scheme, host, port: r.port, imitates: r.text, suffix: r.suffix });
    }
  }
  return { allowed, samples };
}

/** The exact allowed origins and the concrete samples of every pattern. */
export function concreteAllowedOrigins(rules: OriginRule[]): string[] {
  return [...new Set(allowedHosts(rules).allowed.map((a) => origin(a.scheme, a.host, a.port)))];
}

type Add = (cls: CandidateClass, host: string, how: string, opts?: { scheme?: string; port?: string }) => void;

/** Every variant of one allowed host. */
function variants(a: Allowed, add: Add): void {
  const { host, port, scheme } = a;
  const labels = host.split('.');
  // The allowed host as a prefix and as a suffix of attacker hosts, with and without a dot.
  add('prefix-bypass', `${host}.${ATTACKER_DOMAIN}`, "the allowed host as a prefix of the attacker's host, then a dot");
  add('prefix-bypass', `${host}${ATTACKER_DOMAIN}`, "the allowed host as a prefix of the attacker's host, with no dot between");
  add('prefix-bypass', `${host}.${ATTACKER_DOMAIN}.${host}`, "the allowed host at both ends of the attacker's host");
  add('suffix-bypass', `${ATTACKER_LABEL}${host}`, "the allowed host as a suffix of the attacker's host, with no dot between");
  add('suffix-bypass', `${ATTACKER_LABEL}-${host}`, "the allowed host as a suffix of the attacker's host, after a hyphen");
  add('suffix-bypass', `${host.replace(/\./g, '-')}.${ATTACKER_DOMAIN}`, "the allowed host's labels joined by hyphens, as one label of the attacker's host");
  // Characters after the allowed host, before an attacker domain: what a host may hold in
  // at least one engine (host-characters.ts), and the percent-encoded forms scanners try.
  for (const c of [...HOST_CHARACTER_FORMS, ...UNPARSABLE_FORMS]) {
    add('special-character-bypass', `${host}${c}.${ATTACKER_DOMAIN}`, `"${c}" after the allowed host, before the attacker's domain`);
    add('special-character-bypass', `${host}${c}${ATTACKER_DOMAIN}`, `"${c}" between the allowed host and the attacker's domain, with no dot`);
  }
  // Parents first, so that a substring that is also a parent is named as one.
  for (let i = 1; i < labels.length - 1; i++) add('parent-domain', labels.slice(i).join('.'), 'a parent domain of the allowed host');
  // Truncations and substrings, at label boundaries and inside labels.
  for (let cut = 1; cut < host.length - 1; cut++) {
    const head = host.slice(0, host.length - cut);
    const tail = host.slice(cut);
    if (!head.endsWith('.')) add('truncation', head, `the allowed host with its last ${cut} character(s) cut off`);
    if (!tail.startsWith('.')) add('substring-bypass', tail, `the allowed host with its first ${cut} character(s) cut off`);
  }
  for (let i = 0; i < labels.length; i++) {
    const without = labels.filter((_, j) => j !== i).join('.');
    if (without.includes('.')) add('substring-bypass', without, `the allowed host without its label "${labels[i]}"`);
  }
  // Each dot replaced, one at a time, and every dot.
  const dots = [...host].flatMap((ch, i) => (ch === '.' ? [i] : []));
  for (const s of DOT_STAND_INS) {
    for (const i of dots)
      add('unescaped-dot', `${host.slice(0, i)}${s}${host.slice(i + 1)}`, `dot ${dots.indexOf(i) + 1} of the allowed host replaced by "${s}"`);
    if (dots.length > 1) add('unescaped-dot', host.replace(/\./g, s), `every dot of the allowed host replaced by "${s}"`);
  }
  // A character class such as [^/] or \S where a dot was meant: each dot replaced by each
  // character a host may hold.
  for (const c of HOST_CHARACTER_FORMS) {
    for (const i of dots)
      add('unescaped-dot', `${host.slice(0, i)}${c}${host.slice(i + 1)}`, `dot ${dots.indexOf(i) + 1} of the allowed host replaced by "${c}"`);
  }
  // Children.
  add('subdomain', `${ATTACKER_LABEL}.${host}`, 'a subdomain of the allowed host that the policy does not list');
  add('subdomain', `a.${ATTACKER_LABEL}.${host}`, 'a subdomain two labels below the allowed host');
  // Spellings a browser normalizes away, and one it keeps.
  add('case-variant', host.toUpperCase(), 'the allowed host in upper case');
  add('trailing-dot', `${host}.`, 'the allowed host with a trailing dot (a different origin to a browser)');
  add('port-mismatch', host, 'the default port written out', { port: scheme === 'https:' ? '443' : '80' });
  for (const p of ['8443', '444', '8080', '3000']) if (p !== port) add('port-mismatch', host, `the same host on port ${p}`, { port: p });
  if (port) add('port-mismatch', host, 'the same host on the default port', { port: '' });
  // The scheme twin.
  if (scheme === 'https:') add('scheme-downgrade', host, 'the same host over plain http', { scheme: 'http:' });
  else add('scheme-twin', host, 'the same host over https', { scheme: 'https:' });
  // Look-alikes of the first label.
  const [first = '', ...rest] = labels;
  for (const l of lookalikes(first)) add('lookalike', [l, ...rest].join('.'), `a look-alike of the label "${first}"`);
}

/** For a pattern: its bare suffix, look-alikes of the suffix, and the suffix as a prefix. */
function suffixVariants(r: Extract<OriginRule, { kind: 'pattern' }>, add: Add): void {
  const s = r.suffix;
  add('parent-domain', s, 'the bare suffix of the pattern, which "*." does not cover');
  add('suffix-bypass', `${ATTACKER_LABEL}${s}`, "the pattern's suffix glued to an attacker label, with no dot");
  add('suffix-bypass', `${ATTACKER_LABEL}-${s}`, "the pattern's suffix after an attacker label and a hyphen");
  add('prefix-bypass', `${s}.${ATTACKER_DOMAIN}`, "the pattern's suffix as a prefix of the attacker's host");
  add('prefix-bypass', `${ATTACKER_LABEL}.${s}.${ATTACKER_DOMAIN}`, "a host that ends like a pattern match, then the attacker's domain");
  add('unescaped-dot', `${ATTACKER_LABEL}x${s}`, 'the dot before the suffix replaced, as an unescaped regex dot matches');
  const [first = '', ...rest] = s.split('.');
  for (const l of lookalikes(first)) add('lookalike', `${ATTACKER_LABEL}.${[l, ...rest].join('.')}`, `a subdomain of a look-alike of "${s}"`);
  if (r.scheme === 'https:') add('scheme-downgrade', `app.${s}`, 'a match of the pattern over plain http', { scheme: 'http:', port: r.port });
}

/**
 * The candidates for a policy's origin rules, each a distinct Origin a browser could send (or,
 * where the URL parser refuses the host, one only another client could). Those the policy
 * allows are not attacks and are left out.
 */
export function generateCandidates(rules: OriginRule[]): CandidateSet {
  const { allowed, samples } = allowedHosts(rules);
  const out = new Map<string, Candidate>();
  let collapsed = 0;
  const put = (c: Candidate) => {
    if (c.sentOrigin !== 'null' && c.parses && allowsOrigin(rules, c.sentOrigin)) {
      collapsed++;
      return;
    }
    const key = `${c.sentOrigin} ${c.opaque ?? ''}`;
    if (!out.has(key)) out.set(key, c);
  };
  const addFor =
    (imitates: string | null, base: { scheme: string; port: string }): Add =>
    (cls, host, how, opts = {}) => {
      const written = origin(opts.scheme ?? base.scheme, host, opts.port ?? base.port);
      let sentOrigin = written;
      let parses = true;
      try {
        const url = new URL(`${written}/`);
        sentOrigin = url.origin;
        if (url.pathname !== '/' || url.search || url.hash || url.username) parses = false;
      } catch {
        parses = false;
      }
      if (!parses) sentOrigin = written;
      // A browser opens the page on the parsed form (a percent-encoded dot is a dot).
      put({ class: cls, origin: parses ? sentOrigin : written, sentOrigin, parses, opaque: null, imitates, how });
    };
  // Unrelated to the policy.
  const unrelated = CROSS_SITE_ORIGIN;
  put({ class: 'arbitrary-origin', origin: unrelated, sentOrigin: unrelated, parses: true, opaque: null, imitates: null, how: 'an unrelated site' });
  put({
    class: 'null-origin',
    origin: unrelated,
    sentOrigin: 'null',
    parses: true,
    opaque: 'sandboxed-iframe',
    imitates: null,
    how: 'a sandboxed iframe, which any site can create, sends Origin: null',
  });
  for (const h of HOSTING_ORIGINS) {
    put({
      class: 'third-party-origin',
      origin: h,
      sentOrigin: h,
      parses: true,
      opaque: null,
      imitates: null,
      how: 'a page on a public hosting domain anyone can publish on',
    });
  }
  for (const a of allowed) variants(a, addFor(a.imitates, a));
  for (const r of rules) if (r.kind === 'pattern') suffixVariants(r, addFor(r.text, { scheme: r.scheme, port: r.port }));
  return { candidates: [...out.values()], collapsed, samples };
}
