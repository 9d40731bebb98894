// The causes' fix as the target's configuration: the policy's rules on the causes' paths, one
// block per set of rules, written for every framework; exact origins and patterns kept apart,
// and every regular expression a configuration holds matching what the policy allows and
// nothing else. (The Node frameworks' configurations are applied to real servers and graded
// again in tests/grade/configuration.spec.ts.)
import { test, expect } from '@playwright/test';
import { FRAMEWORKS, snippetFor } from '../../frameworks/config.ts';
import type { Cause } from '../../grade/judge/causes.ts';
import { configurationFor, corsPolicyOf } from '../../grade/judge/configuration.ts';
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import { validatePolicy } from '../../grade/input/policy.ts';

const POLICY = validatePolicy({
  origins: ['https://app.example.com', 'https://*.partner.example.com'],
  methods: ['GET', 'PUT'],
  requestHeaders: ['X-Api-Key'],
  exposedHeaders: ['X-Request-Id'],
  credentials: true,
  maxAge: 600,
  paths: ['/api/items', { path: '/public/status', origins: ['*'], credentials: false }],
});

const cause = (category: Cause['category'], paths: string[]): Cause => ({
  category,
  title: category,
  severity: 'high',
  summary: '',
  paths,
  imitates: [],
  findings: [0],
  fix: '',
});

test("the policy's rules as a framework-neutral policy: exact origins, patterns, exposed headers, max-age", () => {
  expect(corsPolicyOf(POLICY)).toEqual({
    origins: ['https://app.example.com'],
    originPatterns: ['https://*.partner.example.com'],
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    headers: ['X-Api-Key'],
    exposedHeaders: ['X-Request-Id'],
    credentials: true,
    maxAge: 600,
  });
});

test('one block per set of rules on the causes paths; each says which causes it fixes; a cause no configuration fixes is named, not claimed', () => {
  const { endpoints } = resolveEndpoints(POLICY);
  const causes = [
    cause('reflects-any-origin', ['/api/items']),
    cause('missing-vary', ['/api/items', '/public/status']),
    cause('options-treated-as-preflight', ['/api/items']),
  ];
  const k = configurationFor(causes, POLICY, endpoints, { named: null, told: 'fastify' });
  expect(k?.framework).toBe('fastify');
  expect(k?.chosenBy).toBe('server-headers');
  expect(k?.blocks.map((b) => [b.paths, b.causes])).toEqual([
    [['/api/items'], [0, 1]],
    [['/public/status'], [1]],
  ]);
  expect(k?.blocks[1]?.policy.origins).toEqual(['*']);
  expect(k?.blocks[1]?.snippet).toContain("origin: '*'");
  expect(k?.blocks[0]?.caveats.join(' ')).toMatch(/options-treated-as-preflight/);
  expect(configurationFor(causes, POLICY, endpoints, { named: 'koa', told: 'fastify' })?.chosenBy).toBe('option');
  expect(configurationFor(causes, POLICY, endpoints, { named: null, told: null })).toBeNull();
  expect(configurationFor([causes[2] as Cause], POLICY, endpoints, { named: 'express', told: null })).toBeNull();
});

/** Every regular expression a configuration holds, as JavaScript sees it. */
function regexesIn(snippet: string): RegExp[] {
  const out: RegExp[] = [];
  for (const m of snippet.matchAll(/\/(\^[^\n]*?\$)\//g)) out.push(new RegExp((m[1] as string).replace(/\\\//g, '/')));
  for (const m of snippet.matchAll(/r"(\^[^"]*\$)"/g)) out.push(new RegExp(m[1] as string));
  for (const m of snippet.matchAll(/"~(\^[^"]*\$)"/g)) out.push(new RegExp(m[1] as string));
  for (const m of snippet.matchAll(/(?:SetEnvIf Origin "|header_regexp Origin )(\^[^"\n]*\$)/g)) out.push(new RegExp(m[1] as string));
  return out;
}

const ALLOWED = ['https://a.partner.example.com', 'https://a.b.partner.example.com'];
const REFUSED = [
  'https://partner.example.com',
  'https://evilpartner.example.com',
  'https://a.partner.example.com.evil.test',
  'http://a.partner.example.com',
  'https://a.partner.example.com:8443',
  'https://a.partnerXexample.com',
  'https://app.example.com.evil.test',
  'https://appXexample.com',
];

for (const id of FRAMEWORKS) {
  test(`${id}: the policy with a pattern, exposed headers and max-age, in its own terms; its regular expressions match the pattern and nothing else`, () => {
    const p = corsPolicyOf(POLICY);
    const { snippet, caveats } = snippetFor(id, p, "the policy's origins");
    expect(snippet.replaceAll('\\', ''), id).toContain('app.example.com');
    expect(snippet.toLowerCase(), id).toContain('x-request-id');
    expect(snippet, id).toContain('600');
    const res = regexesIn(snippet);
    if (['spring', 'aspnetcore'].includes(id)) {
      // These take the pattern itself.
      expect(snippet).toContain('"https://*.partner.example.com"');
      expect(caveats.join(' ')).toMatch(/Not run here/);
      return;
    }
    if (id === 'hono' || id === 'koa' || id === 'express' || id === 'fastify' || id === 'django' || id === 'flask' || id === 'starlette' || id === 'nginx')
      expect(res.length, `${id}: a regular expression for the pattern`).toBeGreaterThan(0);
    const matches = (origin: string) => res.some((re) => re.test(origin)) || snippet.includes(`'${origin}'`) || snippet.includes(`"${origin}"`);
    for (const o of ALLOWED) expect(matches(o), `${id} allows ${o}`).toBe(true);
    for (const o of REFUSED) expect(matches(o), `${id} refuses ${o}`).toBe(false);
    expect(matches('https://app.example.com'), `${id} allows the exact origin`).toBe(true);
  });
}

test('any origin with credentials: no framework can say it, and each says so and gives any origin without credentials', () => {
  const p = { ...corsPolicyOf(POLICY), origins: ['*'], originPatterns: [] };
  for (const id of FRAMEWORKS) {
    const { snippet, caveats } = snippetFor(id, p, '');
    expect(caveats[0], id).toMatch(/No configuration can allow any origin with credentials/);
    expect(snippet, id).not.toMatch(
      /credentials: true|CREDENTIALS = True|supports_credentials=True|allow_credentials=True|Allow-Credentials|AllowCredentials\(\)/,
    );
    expect(snippet, id).toMatch(/\*|AllowAnyOrigin/);
  }
});

test('a value is escaped for the language it lands in: no quote, backslash or line break ends a JavaScript or Python string', () => {
  const p = { ...corsPolicyOf(POLICY), headers: ["X-A'\\\n});evil()//"] };
  const express = snippetFor('express', p, '').snippet;
  expect(express).toContain("'X-A\\'\\\\\\u000a});evil()//'");
  expect(express.split('\n').some((l) => l.startsWith('});evil()'))).toBe(false);
  expect(snippetFor('flask', p, '').snippet).toContain('"X-A\'\\\\\\n});evil()//"');
});
