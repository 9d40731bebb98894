// The policy is validated at the door: each error names the field, the value and the fix.
// The published JSON Schema agrees with the validator on the same examples.
import { VERIFY_TLS } from '../../model/wire.ts';
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { validate } from '../../model/schemas.ts';
import { allowsOrigin, originRules, PolicyError, validatePolicy } from '../../grade/input/policy.ts';
import { attackerOrigins } from '../../grade/probes/origins.ts';
import { buildBattery } from '../../grade/probes/battery.ts';

/** Whether the published schema alone accepts a policy. */
const schema = (raw: unknown): boolean => validate('policy', raw).length === 0;
const example: unknown = JSON.parse(readFileSync(new URL('../../examples/cors-policy.json', import.meta.url), 'utf8'));

test('the example policy is valid for both the schema and the validator', () => {
  expect(schema(example)).toBe(true);
  expect(validatePolicy(example).paths).toEqual([{ path: '/api/items' }, { path: '/api/health', methods: ['GET'] }]);
});

const BAD: Array<[string, unknown, RegExp]> = [
  ['no origins', { paths: ['/a'] }, /origins: required/],
  [
    'trailing slash',
    { origins: ['https://app.example.com/'], paths: ['/a'] },
    /origins\[0\]: "https:\/\/app\.example\.com\/" has a path.*"https:\/\/app\.example\.com"/,
  ],
  ['upper case', { origins: ['https://App.example.com'], paths: ['/a'] }, /origins\[0\].*write "https:\/\/app\.example\.com"/],
  ['default port', { origins: ['https://app.example.com:443'], paths: ['/a'] }, /write "https:\/\/app\.example\.com"/],
  ['null', { origins: ['null'], paths: ['/a'] }, /origins\[0\]: "null" .*remove it/],
  ['* with credentials', { origins: ['*'], credentials: true, paths: ['/a'] }, /"\*" with "credentials": true cannot work/],
  ['* inside a host', { origins: ['https://app*.example.com'], paths: ['/a'] }, /not the leftmost label/],
  ['pattern on a TLD', { origins: ['https://*.com'], paths: ['/a'] }, /every site under a top-level domain/],
  ['a typo in a field', { origins: ['https://a.example'], paths: ['/a'], credentals: true }, /credentals: unknown field/],
  [
    'forbidden header',
    { origins: ['https://a.example'], paths: ['/a'], requestHeaders: ['Cookie'] },
    /requestHeaders\[0\]: "Cookie" is a forbidden request header.*credentials/,
  ],
  ['forbidden method', { origins: ['https://a.example'], paths: ['/a'], methods: ['TRACE'] }, /methods\[0\]: "TRACE" is a forbidden method/],
  ['relative path', { origins: ['https://a.example'], paths: ['api'] }, /paths\[0\]: expected a path that starts with "\/".*got "api"/],
  [
    'relative path in an entry',
    { origins: ['https://a.example'], paths: [{ path: 'api' }] },
    /paths\[0\]\.path: expected a path that starts with "\/".*got "api"/,
  ],
  [
    'a typo inside a path entry',
    { origins: ['https://a.example'], paths: [{ path: '/a', methd: ['GET'] }] },
    /paths\[0\]\.methd: unknown field; the fields are path, origins, methods, requestHeaders, exposedHeaders, credentials, maxAge/,
  ],
  ['credentials as a string', { origins: ['https://a.example'], paths: ['/a'], credentials: 'yes' }, /credentials: expected true or false, got "yes"/],
  [
    'a header name with a space',
    { origins: ['https://a.example'], paths: ['/a'], requestHeaders: ['X A'] },
    /requestHeaders\[0\]: expected a header name .*got "X A"/,
  ],
  ['origins as a string', { origins: 'https://a.example', paths: ['/a'] }, /origins: expected a non-empty list .*got "https:\/\/a\.example"/],
  ['negative maxAge', { origins: ['https://a.example'], paths: ['/a'], maxAge: -1 }, /maxAge: expected a whole number/],
  ['a path that is a number', { origins: ['https://a.example'], paths: [5] }, /paths\[0\]: expected "\/path" or \{"path": "\/path", \.\.\.\} .*got 5/],
  [
    'an origin with a character no host has',
    { origins: ['https://a_b.example'], paths: ['/a'] },
    /origins\[0\]: expected an origin as browsers send it.*got "https:\/\/a_b\.example"/,
  ],
];

for (const [title, raw, message] of BAD) {
  test(`rejected with the field and the fix: ${title}`, () => {
    expect(() => validatePolicy(raw)).toThrow(PolicyError);
    expect(() => validatePolicy(raw)).toThrow(message);
  });
}

test('the schema rejects the structural mistakes too', () => {
  for (const [, raw] of BAD.filter(([t]) =>
    ['no origins', 'trailing slash', 'upper case', 'a typo in a field', 'relative path', 'negative maxAge'].includes(t),
  )) {
    expect(schema(raw)).toBe(false);
  }
});

/** The problems a policy is refused with, or none. */
function problems(raw: unknown): PolicyError['problems'] {
  try {
    validatePolicy(raw);
    return [];
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
}

test("a value of the wrong branch of a union gets that branch's error alone", () => {
  // A path entry object with a bad path: about the path, not "must be string" for the entry.
  expect(problems({ origins: ['https://a.example'], paths: [{ path: 'api' }] }).map((p) => p.field)).toEqual(['paths[0].path']);
  expect(problems({ origins: ['https://a.example'], paths: ['api', 7] }).map((p) => p.field)).toEqual(['paths[0]', 'paths[1]']);
});

test('a policy error carries each problem with its field, and the fix where the schema gives one', () => {
  const schemaProblem = problems({ origins: ['https://a.example'], paths: ['/a'], credentials: 'yes' });
  expect(schemaProblem).toEqual([{ field: 'credentials', message: 'expected true or false, got "yes"', fix: 'true or false' }]);
  const check = problems({ origins: ['https://a.example'], paths: ['/a'], methods: ['TRACE'] });
  expect(check).toEqual([{ field: 'methods[0]', message: '"TRACE" is a forbidden method; no page can send it, remove it' }]);
  let caught: unknown;
  try {
    validatePolicy({ origins: ['https://a.example'], paths: ['/a'], maxAge: 1.5 });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(PolicyError);
  expect(caught).toMatchObject({ exitCode: 2, field: 'maxAge', fix: 'a whole number of seconds (0 or more)' });
});

test('origin patterns: one or more labels, same scheme and port, never the bare domain', () => {
  const rules = originRules(validatePolicy({ origins: ['https://*.example.com', 'http://localhost:5173'], paths: ['/'] }));
  expect(allowsOrigin(rules, 'https://a.example.com')).toBe(true);
  expect(allowsOrigin(rules, 'https://a.b.example.com')).toBe(true);
  expect(allowsOrigin(rules, 'https://example.com')).toBe(false);
  expect(allowsOrigin(rules, 'http://a.example.com')).toBe(false);
  expect(allowsOrigin(rules, 'https://a.example.com:8443')).toBe(false);
  expect(allowsOrigin(rules, 'https://evilexample.com')).toBe(false);
  expect(allowsOrigin(rules, 'http://localhost:5173')).toBe(true);
  expect(allowsOrigin(rules, 'null')).toBe(false);
});

test('attacker origins cover every class and never include an allowed origin', () => {
  const rules = originRules(validatePolicy({ origins: ['https://app.example.com'], paths: ['/'] }));
  const attackers = attackerOrigins(rules);
  const byCategory = (c: string) => attackers.filter((a) => a.category === c).map((a) => a.sentOrigin);
  expect(byCategory('prefix-bypass')).toEqual(['https://app.example.com.evil.test']);
  expect(byCategory('suffix-bypass')).toEqual(['https://evilapp.example.com']);
  expect(byCategory('unescaped-dot')).toEqual(['https://appxexample.com']);
  expect(byCategory('subdomain')).toEqual(['https://evil.app.example.com']);
  expect(byCategory('scheme-downgrade')).toEqual(['http://app.example.com']);
  expect(byCategory('port-mismatch')).toEqual(['https://app.example.com:8443']);
  expect(byCategory('null-origin')).toEqual(['null']);
  expect(byCategory('special-character-bypass').length).toBeGreaterThanOrEqual(2);
  for (const a of attackers) expect(allowsOrigin(rules, a.sentOrigin)).toBe(false);
  const wide = attackerOrigins(originRules(validatePolicy({ origins: ['https://*.app.example.com'], paths: ['/'] })));
  expect(wide.map((a) => a.category)).not.toContain('subdomain');
});

test('the battery derives from the policy and has stable ids', () => {
  const policy = validatePolicy(example);
  const a = buildBattery(policy).map((p) => p.id);
  expect(buildBattery(policy).map((p) => p.id)).toEqual(a);
  expect(new Set(a).size).toBe(a.length);
  expect(a).toContain('intended//api/items/https://app.example.com/PUT/include');
  expect(a).toContain('preflight-cache//api/items/https://app.example.com/PUT');
  expect(a).toContain('attacker//api/health/null-origin/null/include');
  expect(a.filter((id) => id.startsWith('attacker/')).length).toBeGreaterThan(40);
});

test('an OPTIONS that is not a preflight: express cors answers it as one, a careful server passes it on', async () => {
  const { corsApp, corsOptions, listen } = await import('../../adapters/express-cors.ts');
  const { optionsExchange } = await import('../../pipeline/target.ts');
  const express = (await import('express')).default;
  const cors = (await import('cors')).default;
  const policy = validatePolicy({ origins: ['https://app.example.com'], methods: ['GET', 'PUT'], paths: ['/api'] });
  const eager = await listen(corsApp(policy));
  const careful = express();
  careful.use((req, res, next) => (req.method === 'OPTIONS' && !req.headers['access-control-request-method'] ? res.status(200).send('app') : next()));
  careful.use(cors(corsOptions(policy)));
  const passing = await listen(careful);
  try {
    const a = await optionsExchange(new URL(eager.url), '/api', 'https://app.example.com', VERIFY_TLS);
    expect(a?.responseHeaders.some(([n]) => n.toLowerCase() === 'access-control-allow-methods')).toBe(true);
    const b = await optionsExchange(new URL(passing.url), '/api', 'https://app.example.com', VERIFY_TLS);
    expect(b?.status).toBe(200);
    expect(b?.responseHeaders.some(([n]) => n.toLowerCase() === 'access-control-allow-methods')).toBe(false);
  } finally {
    await eager.stop();
    await passing.stop();
  }
});
