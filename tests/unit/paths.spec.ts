// Per-path policies: which entry's rules hold on a path, the errors a path entry gets (field,
// value and fix, as at the top level), and a battery that probes each path with its own rules.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { validate } from '../../model/schemas.ts';
import { pathMatches, PolicyError, rulesFor, validatePolicy } from '../../grade/input/policy.ts';
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import { buildBattery } from '../../grade/probes/battery.ts';
import { GradeSetupError } from '../../pipeline/target.ts';

/** Whether the published schema alone accepts a policy. */
const schema = (raw: unknown): boolean => validate('policy', raw).length === 0;

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

/** /public/* is public without credentials; /api/* allows two origins with credentials. */
const SPLIT = {
  origins: [APP],
  methods: ['GET'],
  paths: [
    { path: '/public/*', origins: ['*'], credentials: false },
    { path: '/api/*', origins: [APP, ADMIN], methods: ['GET', 'PUT'], credentials: true, requestHeaders: ['X-Api-Key'] },
    '/public/logo.txt',
    { path: '/api/items', exposedHeaders: ['X-Total-Count'] },
    { path: '/api/admin/*', origins: [ADMIN] },
    '/api/admin/users',
    '/about',
  ],
};

test('a trailing "/*" covers every path under the prefix, not the prefix alone; any other path is exact', () => {
  expect(pathMatches('/api/*', '/api/items')).toBe(true);
  expect(pathMatches('/api/*', '/api/users/42')).toBe(true);
  expect(pathMatches('/api/*', '/api/')).toBe(true);
  expect(pathMatches('/api/*', '/api')).toBe(false);
  expect(pathMatches('/api/*', '/apiary')).toBe(false);
  expect(pathMatches('/*', '/anything/at/all')).toBe(true);
  expect(pathMatches('/api/items', '/api/items')).toBe(true);
  expect(pathMatches('/api/items', '/api/items/1')).toBe(false);
  expect(pathMatches('/api/items', '/api/items/')).toBe(false);
});

test('each field comes from the most specific entry that sets it, else from the top level', () => {
  const policy = validatePolicy(SPLIT);
  expect(schema(SPLIT)).toBe(true);
  // An exact path beats the prefix that covers it, but only for the fields it sets.
  const items = rulesFor(policy, '/api/items');
  expect(items.entry).toBe('/api/items');
  expect(items.rules).toEqual({
    origins: [APP, ADMIN],
    methods: ['GET', 'PUT'],
    requestHeaders: ['X-Api-Key'],
    exposedHeaders: ['X-Total-Count'],
    credentials: true,
  });
  // A longer prefix beats a shorter one.
  expect(rulesFor(policy, '/api/admin/users')).toMatchObject({
    entry: '/api/admin/*',
    rules: { origins: [ADMIN], credentials: true, methods: ['GET', 'PUT'] },
  });
  expect(rulesFor(policy, '/public/logo.txt')).toMatchObject({ entry: '/public/*', rules: { origins: ['*'], credentials: false, methods: ['GET'] } });
  // No entry covers it: the top level's rules.
  expect(rulesFor(policy, '/about')).toEqual({
    entry: null,
    rules: { origins: [APP], methods: ['GET'], requestHeaders: [], exposedHeaders: [], credentials: false },
  });
  expect(rulesFor(policy, '/elsewhere')).toEqual(rulesFor(policy, '/about'));
});

const BAD: Array<[string, unknown, RegExp]> = [
  [
    'an origin in a path entry that is not as browsers send it',
    { origins: [APP], paths: [{ path: '/api/*', origins: ['https://App.example.com/'] }] },
    /paths\[0\]\.origins\[0\]: "https:\/\/App\.example\.com\/" has a path.*"https:\/\/app\.example\.com"/,
  ],
  [
    '"*" and credentials set on the same entry',
    { origins: [APP], paths: [{ path: '/public/*', origins: ['*'], credentials: true }] },
    /paths\[0\]\.origins: "\*" with "credentials": true cannot work: browsers refuse .*; list the origins instead/,
  ],
  [
    '"*" on a path whose credentials come from the top level',
    { origins: [APP], credentials: true, paths: [{ path: '/public/*', origins: ['*'] }] },
    /paths\[0\]\.origins: "\*" with credentials \(true from the top level\) cannot work: .*add "credentials": false to this entry/,
  ],
  [
    'credentials on a path under a "*" prefix',
    {
      origins: [APP],
      paths: [
        { path: '/public/*', origins: ['*'] },
        { path: '/public/me', credentials: true },
      ],
    },
    /paths\[1\]\.credentials: true with origins "\*" \(from paths\[0\] "\/public\/\*"\) cannot work: .*list this entry's origins/,
  ],
  [
    '"*" beside other origins in a path entry',
    { origins: [APP], paths: [{ path: '/a', origins: ['*', APP] }] },
    /paths\[0\]\.origins: "\*" already allows every origin; list it alone/,
  ],
  [
    'a "*" that is not a trailing "/*"',
    { origins: [APP], paths: ['/api*'] },
    /paths\[0\]: "\/api\*" has a "\*" that is not a trailing "\/\*"; write "\/api\/\*"/,
  ],
  [
    'a "*" inside an entry\'s path',
    { origins: [APP], paths: [{ path: '/api/*/items' }] },
    /paths\[0\]\.path: "\/api\/\*\/items" has a "\*" that is not a trailing "\/\*"; write "\/api\/\*"/,
  ],
  [
    'a forbidden header in a path entry',
    { origins: [APP], paths: [{ path: '/a', requestHeaders: ['Cookie'] }] },
    /paths\[0\]\.requestHeaders\[0\]: "Cookie" is a forbidden request header/,
  ],
  [
    'a forbidden method in a path entry',
    { origins: [APP], paths: [{ path: '/a', methods: ['TRACE'] }] },
    /paths\[0\]\.methods\[0\]: "TRACE" is a forbidden method/,
  ],
  [
    'credentials as a string in a path entry',
    { origins: [APP], paths: [{ path: '/a', credentials: 'yes' }] },
    /paths\[0\]\.credentials: expected true or false.*got "yes"/,
  ],
  [
    'no origins in a path entry',
    { origins: [APP], paths: [{ path: '/a', origins: [] }] },
    /paths\[0\]\.origins: expected a non-empty list of this path's origins/,
  ],
  [
    'a path listed twice',
    { origins: [APP], paths: ['/a', { path: '/a', origins: [ADMIN] }] },
    /paths\[1\]\.path: "\/a" is listed twice \(also paths\[0\]\); merge/,
  ],
];

for (const [title, raw, message] of BAD) {
  test(`a path entry is rejected with the field and the fix: ${title}`, () => {
    expect(() => validatePolicy(raw)).toThrow(PolicyError);
    expect(() => validatePolicy(raw)).toThrow(message);
  });
}

test('a path entry may allow methods the top level does not', () => {
  const policy = validatePolicy({ origins: [APP], methods: ['GET'], paths: [{ path: '/a', methods: ['PUT'] }] });
  expect(rulesFor(policy, '/a').rules.methods).toEqual(['PUT']);
});

test('a pattern is probed through the exact paths under it; one that covers none is an error naming the fix', () => {
  const plan = resolveEndpoints(validatePolicy(SPLIT));
  expect(plan.endpoints.map((e) => [e.path, e.entry])).toEqual([
    ['/public/logo.txt', '/public/*'],
    ['/api/items', '/api/items'],
    ['/api/admin/users', '/api/admin/*'],
    ['/about', null],
  ]);
  expect(() => resolveEndpoints(validatePolicy({ origins: [APP], paths: ['/a', { path: '/admin/*', origins: [ADMIN] }] }))).toThrow(
    /paths\[1\]: "\/admin\/\*" covers none of the paths to probe; add an exact path under it \(e\.g\. "\/admin\/status"\), give --openapi/,
  );
});

test('{name} in a policy path is filled from --path-param, and is an error without one', () => {
  const policy = validatePolicy({ origins: [APP], paths: ['/users/{id}'] });
  expect(resolveEndpoints(policy, null, { id: 'a b' }).endpoints.map((e) => [e.path, e.declared])).toEqual([['/users/a%20b', '/users/{id}']]);
  expect(() => resolveEndpoints(policy)).toThrow(
    /paths\[0\]: "\/users\/\{id\}" has the path parameter "id" and no value for it; give one with --path-param id=<value>/,
  );
  expect(() => resolveEndpoints(policy, null, { id: '1', idd: '2' })).toThrow(GradeSetupError);
  expect(() => resolveEndpoints(policy, null, { id: '1', idd: '2' })).toThrow(
    /--path-param idd: no path has a parameter of that name; the path parameters are id/,
  );
});

test('the battery probes each path with its own rules', () => {
  const probes = buildBattery(validatePolicy(SPLIT));
  const on = (path: string, kind: string) => probes.filter((p) => p.path === path && p.kind === kind);
  // /public/*: any site reads without credentials; nothing is sent with credentials as intended.
  expect(on('/public/logo.txt', 'intended').map((p) => [p.pageOrigin, p.method, p.credentials])).toEqual([['https://any-site.test', 'GET', 'omit']]);
  const evil = on('/public/logo.txt', 'attacker').filter((p) => p.kind === 'attacker' && p.category === 'arbitrary-origin');
  expect(evil.map((p) => [p.credentials, p.expect])).toEqual([
    ['omit', 'readable'],
    ['include', 'blocked'],
  ]);
  // /api/items: both origins, both methods, with credentials and the path's headers.
  expect(on('/api/items', 'intended').map((p) => `${p.pageOrigin} ${p.method} ${p.credentials} ${p.headers.map(([n]) => n).join(',')}`)).toEqual([
    `${APP} GET include X-Api-Key`,
    `${APP} PUT include X-Api-Key`,
    `${ADMIN} GET include X-Api-Key`,
    `${ADMIN} PUT include X-Api-Key`,
  ]);
  expect(on('/api/items', 'intended').every((p) => p.readHeaders.includes('X-Total-Count'))).toBe(true);
  expect(on('/api/items', 'attacker').every((p) => p.expect === 'blocked')).toBe(true);
  // /api/admin/users: only the admin origin is intended; the app origin is not an attacker there either
  // unless one of its classes imitates the admin origin.
  expect(new Set(on('/api/admin/users', 'intended').map((p) => p.pageOrigin))).toEqual(new Set([ADMIN]));
  // A method and a header outside the rules, once for each set of rules, on its first path.
  expect(probes.filter((p) => p.kind === 'reflection' && p.id.startsWith('reflection/method/')).map((p) => [p.path, p.method])).toEqual([
    ['/public/logo.txt', 'DELETE'],
    ['/api/items', 'DELETE'],
    ['/api/admin/users', 'DELETE'],
    ['/about', 'DELETE'],
  ]);
  // Error responses: the missing path's own rules ("/public/logo.txt/…" is under /public/*).
  expect(on('/public/logo.txt/cc-conformance-missing', 'error-response').map((p) => p.credentials)).toEqual(['omit']);
  expect(on('/api/items/cc-conformance-missing', 'error-response').map((p) => [p.pageOrigin, p.credentials])).toEqual([[APP, 'include']]);
  const ids = probes.map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
});

test('the example per-path policy is valid for both the schema and the validator', () => {
  const raw: unknown = JSON.parse(readFileSync(new URL('../../examples/cors-policy-paths.json', import.meta.url), 'utf8'));
  expect(schema(raw)).toBe(true);
  expect(validatePolicy(raw).paths.map((p) => p.path)).toEqual(['/v1/public/*', '/v1/admin/*']);
});
