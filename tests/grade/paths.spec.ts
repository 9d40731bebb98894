// Per-path policies and --openapi, graded in this project's engine against real servers: an
// OpenAPI document with path parameters drives the battery (the server's own log shows the
// filled paths probed with the declared methods and header), and a policy with /public/* and
// /api/* is graded path by path: a server that reflects any origin on /api/* only is found on
// /api/… and nowhere else; the server that applies each path's rules passes.
import { test, expect } from '../../suites/fixtures.ts';
import express from 'express';
import cors from 'cors';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corsApp, corsOptions, listen } from '../../adapters/express-cors.ts';
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import { loadOpenApi } from '../../grade/input/openapi.ts';
import { rulesFor, validatePolicy } from '../../grade/input/policy.ts';
import { grade } from '../../grade/run.ts';
import { gradeMarkdown } from '../../outputs/markdown.ts';
import { gradeSarif } from '../../outputs/sarif.ts';
import type { GradeReport } from '../../grade/types.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const CATALOG = fileURLToPath(new URL('fixtures/catalog-3.1.json', import.meta.url));

const failing = (r: GradeReport) => r.findings.filter((f) => f.severity !== 'info');

function attach(r: GradeReport) {
  return {
    body: JSON.stringify(
      { verdict: r.verdict, endpoints: r.endpoints, causes: r.causes, findings: r.findings.map(({ evidence: _e, ...f }) => f), errors: r.errors },
      null,
      2,
    ),
    contentType: 'application/json',
  };
}

/** An express app that logs each request it receives (method, path, the headers asked for) before `app` answers it. */
function logged(app: express.Express): { app: express.Express; log: string[] } {
  const log: string[] = [];
  const outer = express();
  outer.use((req, _res, next) => {
    const asked = req.headers['access-control-request-headers'];
    const sent = req.headers['x-client-version'];
    log.push(`${req.method} ${req.path}${asked ? ` asks ${asked}` : ''}${sent ? ` sends x-client-version` : ''}`);
    next();
  });
  outer.use(app);
  return { app: outer, log };
}

test('an OpenAPI 3.1 document drives the battery: the filled paths are probed with the declared methods and header', async ({ gradeSession }, testInfo) => {
  const policy = validatePolicy({ origins: [APP], methods: ['GET', 'PATCH'] });
  for (const [title, params, isbn] of [
    ['the examples in the document', {}, '978-0-13-468599-1'],
    ['--path-param', { isbn: 'cc-42' }, 'cc-42'],
  ] as const) {
    const api = await loadOpenApi(CATALOG, params);
    const plan = resolveEndpoints(policy, api, params);
    const server = logged(corsApp(policy, plan));
    const t = await listen(server.app);
    try {
      const r = await grade(gradeSession, { target: t.url, policy, endpoints: plan, noSearch: true });
      await testInfo.attach(`grade with ${title}`, attach(r));
      expect(r.errors).toEqual([]);
      expect(failing(r)).toEqual([]);
      expect(r.verdict).toBe('pass');
      expect(r.endpoints.map((e) => [e.path, e.source, e.declared, e.methods])).toEqual([
        [`/books/${isbn}`, 'openapi', '/books/{isbn}', ['GET', 'PATCH']],
        ['/shelves/3/books', 'openapi', '/shelves/{shelf}/books', ['GET']],
      ]);
      // The server saw the filled paths with each declared method, and the preflight asked for
      // the header parameter declared on that path, which the intended requests then sent.
      expect(server.log).toContain(`PATCH /books/${isbn} sends x-client-version`);
      expect(server.log).toContain(`GET /books/${isbn} sends x-client-version`);
      expect(server.log.some((l) => l.startsWith(`OPTIONS /books/${isbn} asks`) && l.includes('x-client-version'))).toBe(true);
      expect(server.log).toContain('GET /shelves/3/books');
      expect(server.log.some((l) => l.includes('{'))).toBe(false);
    } finally {
      await t.stop();
    }
  }
});

/** /public/* is public without credentials; /api/* is two origins with credentials. */
const SPLIT = validatePolicy({
  origins: [APP],
  methods: ['GET', 'PUT'],
  requestHeaders: ['Content-Type'],
  paths: [
    { path: '/public/*', origins: ['*'], methods: ['GET'], credentials: false },
    { path: '/api/*', origins: [APP, ADMIN], credentials: true },
    '/public/logo.txt',
    '/api/items',
  ],
});

/** /public/* as the policy says; /api/* reflects any origin with credentials. */
function reflectsOnApi(): express.Express {
  const app = express();
  app.use('/public', cors(corsOptions(rulesFor(SPLIT, '/public/logo.txt').rules)));
  app.use('/api', cors({ ...corsOptions(rulesFor(SPLIT, '/api/items').rules), origin: true }));
  app.all(['/public/logo.txt', '/api/items'], (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

test('a per-path policy is graded path by path: reflecting any origin on /api/* is found on /api/… only', async ({ gradeSession, engineId }, testInfo) => {
  test.setTimeout(240_000);
  const t = await listen(reflectsOnApi());
  try {
    const r = await grade(gradeSession, { target: t.url, policy: SPLIT });
    await testInfo.attach('grade', attach(r));
    expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.verdict).toBe('fail');
    expect(r.endpoints.map((e) => [e.path, e.entry])).toEqual([
      ['/public/logo.txt', '/public/*'],
      ['/api/items', '/api/*'],
    ]);
    const found = failing(r);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.path, `${f.category} from ${f.origin}`).toMatch(/^\/api\//);
    const read = found.find((f) => f.category === 'arbitrary-origin' && f.credentialed);
    expect(read?.path).toBe('/api/items');
    expect(read?.severity).toBe('high');
    expect(read?.engines).toContain(engineId);
    const causes = r.causes.filter((c) => c.severity !== 'info');
    expect(causes.map((c) => c.category)).toEqual(['reflects-any-origin']);
    expect(causes[0]?.paths).toEqual(['/api/items']);
    expect(causes[0]?.summary).toContain('on /api/items');
    // The search screened each path with its own rules: on /public/* every unrelated origin is
    // allowed, so what it flagged to confirm is on /api/….
    expect(r.search?.probed).toBeGreaterThan(0);
    expect(r.probes.filter((p) => p.source === 'search').every((p) => p.path === '/api/items')).toBe(true);

    // The outputs name the path: SARIF locates each finding at the policy's entry for it.
    const dir = mkdtempSync(join(tmpdir(), 'cc-paths-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(SPLIT, null, 2));
    const sarif = gradeSarif(r, policyFile) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          message: { text: string };
          locations: Array<{ physicalLocation: { region?: { startLine: number } }; logicalLocations?: Array<{ fullyQualifiedName: string }> }>;
        }>;
      }>;
    };
    const apiLine =
      JSON.stringify(SPLIT, null, 2)
        .split('\n')
        .findIndex((l) => l.includes('"/api/*"')) + 1;
    const result = sarif.runs[0]?.results.find((x) => x.ruleId === 'finding/arbitrary-origin');
    expect(result?.message.text).toMatch(/^On \/api\/items, /);
    expect(result?.locations[0]?.physicalLocation.region?.startLine).toBe(apiLine);
    expect(result?.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe('/api/items');
    const md = gradeMarkdown(r);
    expect(md).toContain('### Paths');
    // The origin `*` is text in a cell: written as a reference, it renders as `*` and starts no emphasis.
    expect(md).toMatch(/\| `\/public\/logo\.txt` \| GET \| `\/public\/\*` \| &#42; \| false \| ✅ 0 \|/);
    expect(md).toMatch(/\| `\/api\/items` \| GET, PUT \| `\/api\/\*` \| https:\/\/app\.example\.com, https:\/\/admin\.example\.com \| true \| ❌ \d+ \|/);
  } finally {
    await t.stop();
  }
});

test('a per-path policy is graded path by path: the server that applies each path its rules passes', async ({ gradeSession }, testInfo) => {
  test.setTimeout(240_000);
  const t = await listen(corsApp(SPLIT));
  try {
    const r = await grade(gradeSession, { target: t.url, policy: SPLIT });
    await testInfo.attach('grade', attach(r));
    expect(r.errors).toEqual([]);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    // Any site read /public/logo.txt without credentials, as the policy allows there.
    const anyone = r.probes.find(
      (p) => p.path === '/public/logo.txt' && p.kind === 'attacker' && p.category === 'arbitrary-origin' && p.credentials === 'omit',
    );
    expect(anyone?.expect).toBe('readable');
    expect(Object.values(anyone?.results ?? {}).map((o) => o?.outcome)).toEqual(['readable']);
  } finally {
    await t.stop();
  }
});
