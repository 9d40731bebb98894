// --openapi, graded in this project's engine against a real server: an OpenAPI document with
// path parameters drives the battery (the server's own log shows the filled paths probed with
// the declared methods and header). A policy with /public/* and /api/* graded path by path is
// replayed from recordings (tests/replay/paths.spec.ts).
import { test, expect } from '../../suites/fixtures.ts';
import express from 'express';
import { fileURLToPath } from 'node:url';
import { corsApp, listen } from '../../adapters/express-cors.ts';
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import { loadOpenApi } from '../../grade/input/openapi.ts';
import { validatePolicy } from '../../grade/input/policy.ts';
import { grade } from '../../grade/run.ts';
import type { GradeReport } from '../../grade/types.ts';
import { APP } from './path-targets.ts';

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
  // The document's examples fill the paths; --path-param fills them the same way (tests/unit/openapi.spec.ts).
  const isbn = '978-0-13-468599-1';
  const plan = resolveEndpoints(policy, await loadOpenApi(CATALOG, {}), {});
  const server = logged(corsApp(policy, plan));
  const t = await listen(server.app);
  try {
    const r = await grade(gradeSession, { target: t.url, policy, endpoints: plan, noSearch: true });
    await testInfo.attach('grade', attach(r));
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
});
