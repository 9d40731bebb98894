// --openapi: an OpenAPI 3.0 (YAML) and a 3.1 (JSON) document give the paths and methods to
// probe, with path parameters filled from the document's examples or from --path-param, header
// parameters as request headers, and the policy's own entries winning for the same path. Bad
// documents are setup errors naming the file and the problem.
import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOpenApi } from '../../grade/input/openapi.ts';
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import { buildBattery } from '../../grade/probes/battery.ts';
import { PolicyError, validatePolicy } from '../../grade/input/policy.ts';
import { GradeSetupError } from '../../pipeline/target.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../grade/fixtures/${name}`, import.meta.url));
const SHOP = fixture('shop-3.0.yaml');
const CATALOG = fixture('catalog-3.1.json');
const APP = 'https://app.example.com';
const ops = (d: Awaited<ReturnType<typeof loadOpenApi>>) => d.operations.map((o) => `${o.method} ${o.path}`);

test('3.0 YAML: a path parameter with no value anywhere is an error naming the path, the parameter and the fix', async () => {
  const load = loadOpenApi(SHOP);
  await expect(load).rejects.toBeInstanceOf(GradeSetupError);
  await expect(loadOpenApi(SHOP)).rejects.toThrow(
    `--openapi ${SHOP}: GET /reports/{reportId}: no value for the path parameter "reportId" (the document gives it no example, examples, schema example, default or enum); give one with --path-param reportId=<value>`,
  );
});

test('3.0 YAML: values from the schema example, the parameter example and examples, enum[0]; --path-param wins; the servers path goes first', async () => {
  const d = await loadOpenApi(SHOP, { reportId: 'r 7' });
  expect(d.version).toBe('3.0.3');
  expect(d.basePath).toBe('/v1');
  expect(ops(d)).toEqual([
    'GET /v1/items',
    'POST /v1/items',
    'GET /v1/items/42',
    'PUT /v1/items/42',
    'DELETE /v1/items/42',
    'GET /v1/users/alice/orders/o-1',
    'GET /v1/tags/red',
    'GET /v1/reports/r%207',
    'HEAD /v1/health',
  ]);
  expect(d.notes.join('\n')).toContain('OPTIONS /health is not probed');
  const given = await loadOpenApi(SHOP, { reportId: 'r-7', itemId: '7', tag: 'blue' });
  expect(ops(given)).toContain('PUT /v1/items/7');
  expect(ops(given)).toContain('GET /v1/tags/blue');
  // --target already ends with the servers path: it is not added twice.
  const under = await loadOpenApi(SHOP, { reportId: 'r-7' }, '/v1/');
  expect(ops(under)[0]).toBe('GET /items');
  expect(under.notes.join('\n')).toContain('which --target already ends with');
});

test('3.0 YAML: header parameters and API-key headers are request headers; Accept, forbidden names and Authorization are not', async () => {
  const d = await loadOpenApi(SHOP, { reportId: 'r-7' });
  expect(d.operations.find((o) => o.method === 'POST')?.headers).toEqual(['X-Request-Token', 'X-Api-Key']);
  expect(d.operations.find((o) => o.method === 'PUT')?.headers).toEqual([]);
  const notes = d.notes.join('\n');
  expect(notes).toContain('the header parameter Cookie of POST /items is left out: no page can set it');
  expect(notes).toContain('the security scheme(s) bearer send Authorization; it is probed only if the policy lists it in requestHeaders');
});

test('3.1 JSON: a $ref parameter, schema examples[0] and default; header parameters per operation', async () => {
  const d = await loadOpenApi(CATALOG);
  expect(d.version).toBe('3.1.0');
  expect(d.basePath).toBe('');
  expect(ops(d)).toEqual(['GET /books/978-0-13-468599-1', 'PATCH /books/978-0-13-468599-1', 'GET /shelves/3/books']);
  expect(d.operations[0]?.headers).toEqual(['X-Client-Version']);
  expect(ops(await loadOpenApi(CATALOG, { isbn: '1-2', shelf: '9' }))).toEqual(['GET /books/1-2', 'PATCH /books/1-2', 'GET /shelves/9/books']);
});

test('the document gives the endpoints; its methods outside the policy there are noted, not probed; its headers join', async () => {
  const policy = validatePolicy({ origins: [APP], methods: ['GET', 'PATCH'], requestHeaders: ['Content-Type'], paths: ['/health'] });
  const plan = resolveEndpoints(policy, await loadOpenApi(CATALOG), {});
  expect(plan.endpoints.map((e) => [e.path, e.source, e.declared, e.methods, e.rules.requestHeaders])).toEqual([
    ['/health', 'policy', '/health', ['GET', 'PATCH'], ['Content-Type']],
    ['/books/978-0-13-468599-1', 'openapi', '/books/{isbn}', ['GET', 'PATCH'], ['Content-Type', 'X-Client-Version']],
    ['/shelves/3/books', 'openapi', '/shelves/{shelf}/books', ['GET'], ['Content-Type']],
  ]);
  const narrow = resolveEndpoints(validatePolicy({ origins: [APP], methods: ['GET'], paths: ['/health'] }), await loadOpenApi(CATALOG));
  expect(narrow.endpoints.find((e) => e.declared === '/books/{isbn}')?.methods).toEqual(['GET']);
  expect(narrow.notes.join('\n')).toContain("PATCH /books/978-0-13-468599-1: in the document, but not among the policy's methods there (GET); not probed");
  // The intended uses send the declared header, and only where the document declares it on that path.
  const battery = buildBattery(policy, plan);
  const intended = battery.filter((p) => p.kind === 'intended' && p.path === '/books/978-0-13-468599-1' && p.method === 'PATCH');
  expect(intended.map((p) => p.headers.map(([n]) => n))).toEqual([['Content-Type', 'X-Client-Version']]);
  expect(battery.filter((p) => p.kind === 'intended' && p.path === '/shelves/3/books').map((p) => p.headers)).toEqual([[]]);
});

test("the policy's own entry for the same path wins for the fields it sets; its patterns' rules hold on the document's paths", async () => {
  const api = await loadOpenApi(SHOP, { reportId: 'r-7' });
  const policy = validatePolicy({
    origins: [APP],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    credentials: true,
    paths: [
      // The same path as the document's /items under /v1: the entry's methods and headers win.
      { path: '/v1/items', methods: ['GET'], requestHeaders: ['X-Policy-Header'] },
      // A template, filled with the document's value for the same name.
      { path: '/v1/items/{itemId}', methods: ['GET', 'PUT'] },
      { path: '/v1/tags/*', origins: ['*'], credentials: false },
    ],
  });
  const plan = resolveEndpoints(policy, api, {});
  const at = (path: string) => plan.endpoints.find((e) => e.path === path);
  expect(at('/v1/items')).toMatchObject({ source: 'policy', declared: '/v1/items', methods: ['GET'], rules: { requestHeaders: ['X-Policy-Header'] } });
  expect(at('/v1/items/42')).toMatchObject({ source: 'policy', declared: '/v1/items/{itemId}', methods: ['GET', 'PUT'] });
  expect(at('/v1/tags/red')).toMatchObject({ source: 'openapi', entry: '/v1/tags/*', rules: { origins: ['*'], credentials: false } });
  expect(at('/v1/users/alice/orders/o-1')).toMatchObject({ entry: null, rules: { origins: [APP], credentials: true } });
  expect(plan.endpoints.filter((e) => e.path === '/v1/items')).toHaveLength(1);
  expect(plan.notes.join('\n')).toContain("/v1/items: the policy's paths[0] and");
  // --path-param fills the policy's template before the document's value.
  const given = resolveEndpoints(policy, await loadOpenApi(SHOP, { reportId: 'r-7', itemId: '7' }), { reportId: 'r-7', itemId: '7' });
  expect(given.endpoints.map((e) => e.path)).toContain('/v1/items/7');
  expect(() => resolveEndpoints(policy, api, { nope: '1' })).toThrow(
    /--path-param nope: no path has a parameter of that name; the path parameters are itemId, userId/,
  );
});

test('a pattern the document gives no path under is still an error', async () => {
  const policy = validatePolicy({ origins: [APP], paths: [{ path: '/admin/*', origins: ['https://admin.example.com'] }] });
  expect(() => resolveEndpoints(policy, null)).toThrow(PolicyError);
  const plan = resolveEndpoints(validatePolicy({ origins: [APP], paths: [{ path: '/books/*', origins: ['*'] }] }), await loadOpenApi(CATALOG));
  expect(plan.endpoints.map((e) => e.entry)).toEqual(['/books/*', null]);
});

// YAML that does not parse is made here: a broken file in the tree would break the formatter.
const notYaml = join(mkdtempSync(join(tmpdir(), 'cc-openapi-')), 'not-yaml.yaml');
writeFileSync(notYaml, 'openapi: 3.0.3\ninfo: [\n');

const BAD: Array<[string, string, RegExp]> = [
  [
    'a file that is not there',
    fixture('missing.yaml'),
    /--openapi .*missing\.yaml: cannot read it \(ENOENT\); give the path of an OpenAPI 3\.0 or 3\.1 document/,
  ],
  ['YAML that does not parse', notYaml, /--openapi .*not-yaml\.yaml: not valid JSON or YAML \(.*\); fix the syntax/],
  [
    'a document the OpenAPI schema refuses',
    fixture('invalid-3.0.yaml'),
    /--openapi .*invalid-3\.0\.yaml: not a valid OpenAPI document:\n {2}- .*info must have required property 'version'/,
  ],
  [
    'Swagger 2.0',
    fixture('swagger-2.0.json'),
    /--openapi .*swagger-2\.0\.json: it is Swagger 2\.0; give an OpenAPI 3\.0 or 3\.1 document \(convert it first\)/,
  ],
];

for (const [title, file, message] of BAD) {
  test(`a bad document is a setup error naming the file and the problem: ${title}`, async () => {
    await expect(loadOpenApi(file)).rejects.toBeInstanceOf(GradeSetupError);
    await expect(loadOpenApi(file)).rejects.toThrow(message);
  });
}

test('with --openapi the policy needs no paths of its own; without it, paths are required', async () => {
  const policy = validatePolicy({ origins: [APP], methods: ['GET'] });
  expect(policy.paths).toEqual([]);
  expect(() => resolveEndpoints(policy)).toThrow(/paths: required without --openapi: a non-empty list of endpoints to probe, e\.g\. \["\/api\/items"\]/);
  expect(resolveEndpoints(policy, await loadOpenApi(CATALOG)).endpoints.map((e) => e.path)).toEqual(['/books/978-0-13-468599-1', '/shelves/3/books']);
});
