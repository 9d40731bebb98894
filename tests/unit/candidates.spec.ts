// The origin search's candidates and the grouping of findings into root causes.
import { test, expect } from '@playwright/test';
import { concreteAllowedOrigins, generateCandidates } from '../../grade/search/candidates.ts';
import { findCauses, type PathScopes } from '../../grade/judge/causes.ts';
import { CATEGORIES, severityFor, type FindingCategory } from '../../grade/judge/findings.ts';
import { allowsOrigin, originRules, validatePolicy } from '../../grade/input/policy.ts';
import type { Finding } from '../../grade/types.ts';

const rules = originRules(validatePolicy({ origins: ['https://app.example.com', 'https://*.admin.example.com'], paths: ['/api'] }));
const set = generateCandidates(rules);
const sent = new Set(set.candidates.map((c) => c.sentOrigin));

test('hundreds of candidates, none of them an origin the policy allows', () => {
  expect(set.candidates.length).toBeGreaterThan(300);
  expect(set.candidates.length).toBeLessThan(5000);
  for (const c of set.candidates) {
    if (c.parses && c.sentOrigin !== 'null') expect(allowsOrigin(rules, c.sentOrigin), c.sentOrigin).toBe(false);
    expect(c.how.length).toBeGreaterThan(0);
  }
  expect(new Set(set.candidates.map((c) => `${c.sentOrigin} ${c.opaque}`)).size).toBe(set.candidates.length);
});

test('each class the templates miss is generated', () => {
  for (const o of [
    'https://app.example.com.evil.test', // prefix, exact origin
    'https://app.examplexcom', // the second dot replaced
    'https://app.example.co', // a truncation
    'https://app.example.com.', // a trailing dot
    'https://app.example.com:8443', // another port
    'https://example.com', // a parent domain
    'https://app.admin.example.com.evil.test', // prefix of a pattern's concrete sample
    'http://app.admin.example.com', // the scheme twin of a sample
    'https://admin.example.com', // the pattern's bare suffix
    'https://app.example.com_.evil.test', // a character after the host
    'null',
    'https://cc-attacker.github.io',
  ]) {
    expect(sent.has(o), o).toBe(true);
  }
});

test('spellings a browser normalizes to an allowed origin are collapsed, not tried', () => {
  expect(sent.has('https://APP.EXAMPLE.COM')).toBe(false);
  expect(sent.has('https://app.example.com:443')).toBe(false);
  expect(set.collapsed).toBeGreaterThan(0);
});

test('an origin the URL parser refuses is kept, marked as one no browser can send', () => {
  const refused = set.candidates.filter((c) => !c.parses);
  expect(refused.length).toBeGreaterThan(0);
  for (const c of refused) {
    let origin: string | null = null;
    try {
      const u = new URL(`${c.origin}/`);
      if (u.pathname === '/' && !u.search && !u.hash && !u.username) origin = u.origin;
    } catch {
      origin = null;
    }
    expect(origin, c.origin).toBeNull();
    expect(c.sentOrigin).toBe(c.origin);
  }
});

test('a pattern is sampled one and two labels deep', () => {
  expect(set.samples).toContain('https://app.admin.example.com');
  expect(set.samples).toContain('https://a.b.admin.example.com');
  expect(concreteAllowedOrigins(rules)).toContain('https://app.example.com');
});

/** Every path in one scope, with these allowed origins. */
const everywhere = (allowed: readonly string[] = []): PathScopes => ({ scope: () => '', allowed: () => allowed });

function finding(category: FindingCategory, origin: string, acao: string): Finding {
  return {
    category,
    title: CATEGORIES[category].title,
    severity: severityFor(category, true),
    origin,
    imitates: 'https://app.example.com',
    engines: ['chromium'],
    credentialed: true,
    path: '/api/items',
    probe: `p/${origin}`,
    detail: 'read',
    session: 'no-session',
    evidence: [
      {
        seq: 1,
        at: 0,
        origin: 'https://target.test',
        method: 'GET',
        path: '/',
        requestHeaders: [['Origin', origin]],
        status: 200,
        responseHeaders: [['Access-Control-Allow-Origin', acao]],
      },
    ],
    fix: CATEGORIES[category].fix,
  };
}

test('a server that reflects every origin has one cause, not one per attack class', () => {
  const origins: Array<[FindingCategory, string]> = [
    ['arbitrary-origin', 'https://evil.test'],
    ['null-origin', 'null'],
    ['prefix-bypass', 'https://app.example.com.evil.test'],
    ['unescaped-dot', 'https://appxexample.com'],
    ['scheme-downgrade', 'http://app.example.com'],
    ['third-party-origin', 'https://codepen.io'],
  ];
  const causes = findCauses(
    origins.map(([c, o]) => finding(c, o, o)),
    everywhere(['https://app.example.com']),
  );
  expect(causes.map((c) => c.category)).toEqual(['reflects-any-origin']);
  expect(causes[0]?.findings).toHaveLength(origins.length);
  expect(causes[0]?.severity).toBe('high');
});

test('"*" answered to every origin is the wildcard cause', () => {
  const causes = findCauses(
    [finding('arbitrary-origin', 'https://evil.test', '*'), finding('prefix-bypass', 'https://app.example.com.evil.test', '*')],
    everywhere(),
  );
  expect(causes.map((c) => c.category)).toEqual(['wildcard-origin']);
});

test('a port or a trailing dot after an unanchored prefix is the same unanchored match', () => {
  const fs = [
    finding('prefix-bypass', 'https://app.example.com.evil.test', 'https://app.example.com.evil.test'),
    finding('port-mismatch', 'https://app.example.com:8443', 'https://app.example.com:8443'),
    finding('trailing-dot', 'https://app.example.com.', 'https://app.example.com.'),
  ];
  expect(findCauses(fs, everywhere(['https://app.example.com'])).map((c) => c.category)).toEqual(['unanchored-match']);
  // Without the prefix attack, a port is a mistake of its own.
  expect(
    findCauses(fs.slice(1), everywhere(['https://app.example.com']))
      .map((c) => c.category)
      .sort(),
  ).toEqual(['lenient-host-match', 'port-not-checked']);
});

test('null and separate mistakes stay separate when no unrelated origin could read', () => {
  const causes = findCauses(
    [finding('null-origin', 'null', 'null'), finding('scheme-downgrade', 'http://app.example.com', 'http://app.example.com')],
    everywhere(),
  );
  expect(causes.map((c) => c.category).sort()).toEqual(['null-allowed', 'scheme-not-checked']);
});

test('where paths have rules of their own, each scope is explained by its own mistakes, and a cause names its paths', () => {
  const api = finding('arbitrary-origin', 'https://evil.test', 'https://evil.test');
  const open = { ...finding('null-origin', 'null', 'null'), path: '/public/a' };
  const scopes = { scope: (p: string) => (p.startsWith('/api/') ? 'api' : 'public'), allowed: () => ['https://app.example.com'] };
  expect(findCauses([api, open], scopes).map((c) => [c.category, c.paths])).toEqual([
    ['reflects-any-origin', ['/api/items']],
    ['null-allowed', ['/public/a']],
  ]);
  // One scope for both paths: the reflection explains both.
  expect(findCauses([api, open], everywhere(['https://app.example.com'])).map((c) => [c.category, c.paths])).toEqual([
    ['reflects-any-origin', ['/api/items', '/public/a']],
  ]);
});
