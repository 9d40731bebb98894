// The ways API teams run grading, end to end as a user would: the command line (exit codes,
// grade.json, HTML, JUnit, SARIF), Playwright Test with CORS_TARGET and CORS_POLICY, and the
// GitHub Action's steps. The command's errors, which start no browser, are tests/setup/.
// Both start their own engine (chromium, to keep this file's time down; the three-engine
// grading is tests/grade/grade.spec.ts).
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { parse } from 'yaml';
import { CLI as cli, run } from './cli-run.ts';
import { sarifValidator } from './sarif-validator.ts';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

async function exampleServer(reflect: boolean, extra: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const port = await getPort({ host: '127.0.0.1' });
  // node itself (not npx), so that kill() stops the server and nothing is left running.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/server.ts', '--port', String(port), ...(reflect ? ['--reflect-any-origin'] : []), ...extra],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`example server exited ${child.exitCode}`);
    const up = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (up) return { url, child };
    if (Date.now() > deadline) throw new Error(`example server did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('grade: a conforming server exits 0 and writes grade.json, HTML and JUnit', async () => {
  const server = await exampleServer(false);
  try {
    const out = join(dir, 'good');
    const r = await run([
      ...cli,
      'grade',
      '--target',
      server.url,
      '--policy',
      'examples/cors-policy.json',
      '--engine',
      'chromium',
      '--out',
      out,
      '--junit',
      join(out, 'junit.xml'),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('cors-conformance grade: PASS');
    const grade = JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8')) as {
      verdict: string;
      engines: Array<{ id: string; version: string }>;
      probes: unknown[];
    };
    expect(grade.verdict).toBe('pass');
    expect(grade.engines.map((e) => e.id)).toEqual(['chromium']);
    expect(grade.probes.length).toBeGreaterThan(50);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('failures="0"');
  } finally {
    server.child.kill();
  }
});

test('grade: a server that reflects any origin exits 1 with high findings', async () => {
  const server = await exampleServer(true);
  try {
    const out = join(dir, 'bad');
    const r = await run([...cli, 'grade', '--target', server.url, '--policy', 'examples/cors-policy.json', '--engine', 'chromium', '--out', out]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('[high] arbitrary-origin');
    const grade = JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8')) as { verdict: string; findings: Array<{ category: string }> };
    expect(grade.verdict).toBe('fail');
    expect(grade.findings.map((f) => f.category)).toContain('null-origin');
  } finally {
    server.child.kill();
  }
});

test('grade --openapi: the example document and per-path policy pass, in the CLI and the Playwright gate (with a session)', async () => {
  const api = ['--policy', 'examples/cors-policy-paths.json', '--openapi', 'examples/openapi.yaml', '--path-param', 'reportId=r-2024'];
  const server = await exampleServer(false, api);
  try {
    const out = join(dir, 'openapi');
    const r = await run([
      ...cli,
      'grade',
      '--target',
      server.url,
      ...api,
      '--engine',
      'chromium',
      '--no-search',
      '--out',
      out,
      '--sarif',
      join(out, 'grade.sarif'),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('7 path(s): /v1/public/catalog (GET, OpenAPI /public/catalog; rules of /v1/public/*)');
    const grade = JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8')) as { endpoints: Array<{ path: string; methods: string[] }>; notes: string[] };
    expect(grade.endpoints.map((e) => `${e.methods.join(',')} ${e.path}`)).toEqual([
      'GET /v1/public/catalog',
      'GET /v1/public/catalog/SKU-1001',
      'GET,POST /v1/items',
      'GET,PUT,DELETE /v1/items/42',
      'GET /v1/users/alice/orders',
      'GET /v1/admin/reports/r-2024',
      'DELETE /v1/admin/users/bob',
    ]);
    expect(grade.notes.join('\n')).toContain('servers[0].url has the path /v1');
    // The Playwright gate takes the same inputs from the environment, one per line.
    const junit = join(dir, 'gate-openapi.xml');
    const gate = await run(['npx', 'playwright', 'test', '--reporter=junit', '--output', join(dir, 'gate-openapi')], {
      CORS_TARGET: server.url,
      CORS_POLICY: 'examples/cors-policy-paths.json',
      CORS_OPENAPI: 'examples/openapi.yaml',
      CORS_PATH_PARAMS: 'reportId=r-2024',
      CORS_COOKIES: 'sid=gate-secret-7c1',
      CC_ENGINES: 'chromium',
      PLAYWRIGHT_JUNIT_OUTPUT_NAME: junit,
    });
    expect(gate.code, gate.stdout.slice(-2000) + gate.stderr.slice(-2000)).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('/v1/items/42');
    expect(xml).toContain('/v1/admin/reports/r-2024');
    expect(xml).toContain('https://sibling.target.test');
    expect(xml).not.toContain('gate-secret-7c1');
  } finally {
    server.child.kill();
  }
});

interface JsonResult {
  status: string;
  errors: Array<{ message?: string }>;
}
interface JsonSuite {
  specs?: Array<{ tests: Array<{ results: JsonResult[] }> }>;
  suites?: JsonSuite[];
}
interface JsonReport {
  stats: { expected: number; unexpected: number; skipped: number };
  suites: JsonSuite[];
}

function allResults(r: { suites?: JsonSuite[] }): JsonResult[] {
  return (r.suites ?? []).flatMap((s) => [...(s.specs ?? []).flatMap((sp) => sp.tests.flatMap((t) => t.results)), ...allResults(s)]);
}

// Two gate runs, one test each: a failing probe test costs a fresh Playwright worker, so the
// failing run is most of the time on a loaded machine, and each run has a whole timeout of its own.
const GATE_ENV = { CORS_POLICY: 'examples/cors-policy.json', CC_ENGINES: 'chromium' };

test('Playwright Test: CORS_TARGET and CORS_POLICY grade a correct server with the JUnit reporter: every probe a passing test', async () => {
  test.setTimeout(600_000);
  const good = await exampleServer(false);
  try {
    const junit = join(dir, 'pw-junit.xml');
    const pass = await run(['npx', 'playwright', 'test', '--reporter=junit', '--output', join(dir, 'pw-out-good')], {
      ...GATE_ENV,
      PLAYWRIGHT_JUNIT_OUTPUT_NAME: junit,
      CORS_TARGET: good.url,
    });
    expect(pass.code, pass.stdout.slice(-2000) + pass.stderr.slice(-2000)).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="0"');
    expect(xml).toMatch(/tests="\d{2,}"/);
  } finally {
    good.child.kill();
  }
});

test('Playwright Test: CORS_TARGET and CORS_POLICY grade a reflecting server with the JSON reporter: each attack its own failing test', async () => {
  // A failing test costs a fresh Playwright worker.
  test.setTimeout(600_000);
  const bad = await exampleServer(true);
  try {
    // Every probe is its own test: the failures do not stop the rest, and the high-severity
    // attacker probes are among them.
    const report = join(dir, 'pw-bad.json');
    // One allowed origin, method and path: the reflecting server still fails every class of
    // attack, in about 50 tests rather than 160 (each failing test starts a fresh worker, which
    // on a loaded machine is most of the run).
    const small = join(dir, 'small-policy.json');
    writeFileSync(small, JSON.stringify({ origins: ['https://app.example.com'], methods: ['GET'], credentials: true, paths: ['/api/items'] }));
    const fail = await run(['npx', 'playwright', 'test', '--reporter=json', '--output', join(dir, 'pw-out-bad')], {
      ...GATE_ENV,
      CORS_POLICY: small,
      CORS_TARGET: bad.url,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    });
    expect(fail.code).toBe(1);
    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    const results = allResults(json);
    expect(json.stats.skipped, 'did not run').toBe(0);
    expect(results.every((r) => r.status === 'passed' || r.status === 'failed')).toBe(true);
    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.status === 'failed').length).toBeGreaterThan(20);
    const errors = results.flatMap((r) => r.errors.map((e) => e.message ?? ''));
    expect(errors.some((m) => m.includes('[high] reflects-any-origin'))).toBe(true);
    expect(errors.filter((m) => m.includes('[high] arbitrary-origin')).length).toBeGreaterThan(0);
    expect(errors.filter((m) => /\[high\] (prefix-bypass|null-origin|unescaped-dot)/.test(m)).length).toBeGreaterThan(2);
  } finally {
    bad.child.kill();
  }
});

test('library mode: the express cors adapter is graded across the standard policies', async () => {
  const out = join(dir, 'library');
  const r = await run([...cli, 'library', '--adapter', 'adapters/express-cors.ts', '--engine', 'chromium', '--out', out]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const dirs = (await import('node:fs')).readdirSync(out);
  expect(dirs).toHaveLength(1);
  const result = JSON.parse(readFileSync(join(out, dirs[0] as string, 'conformance.json'), 'utf8')) as {
    conforms: boolean;
    policies: Array<{ id: string; verdict: string }>;
  };
  expect(result.conforms).toBe(true);
  expect(result.policies.map((p) => p.id)).toEqual([
    'one-origin',
    'several-origins',
    'credentials',
    'wildcard-subdomain',
    'exposed-headers',
    'max-age',
    'any-origin',
  ]);
});

interface ActionStep {
  name: string;
  run: string;
  env?: Record<string, string>;
}

test('the GitHub Action: its steps, run as written, grade a server, write SARIF that validates and a step summary', async () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: ActionStep[] } };
  expect(action.runs.using).toBe('composite');
  const [install, provision, gradeStep] = action.runs.steps;
  // Installing is `npm ci` in the action's own folder; here that folder is this checkout,
  // already installed, so that one step is checked as written rather than run.
  expect(install?.run.trim()).toBe('npm ci --prefix "$GITHUB_ACTION_PATH"');
  const inputs: Record<string, string> = {
    ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])),
    engines: 'chromium',
    policy: 'examples/cors-policy.json',
    sarif: join(dir, 'action.sarif'),
    out: join(dir, 'action-out'),
  };
  const summary = join(dir, 'step-summary.md');
  const stepEnv = (s: ActionStep | undefined, extra: Record<string, string>) => ({
    GITHUB_ACTION_PATH: process.cwd(),
    GITHUB_STEP_SUMMARY: summary,
    ...Object.fromEntries(
      Object.entries(s?.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_m, n: string) => extra[n] ?? inputs[n] ?? '')]),
    ),
  });
  const bad = await exampleServer(true);
  try {
    const p = await run(['bash', '-e', '-c', provision?.run ?? 'false'], stepEnv(provision, {}));
    expect(p.code, p.stderr).toBe(0);
    const g = await run(['bash', '-e', '-c', gradeStep?.run ?? 'false'], stepEnv(gradeStep, { target: bad.url }));
    expect(g.code, g.stdout.slice(-2000) + g.stderr.slice(-2000)).toBe(1);
  } finally {
    bad.child.kill();
  }
  const sarif = JSON.parse(readFileSync(inputs.sarif as string, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
  const validate = sarifValidator();
  expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  // The validator does refuse what is not SARIF: a run without its tool's driver.
  expect(validate({ version: '2.1.0', runs: [{ tool: {}, results: [] }] })).toBe(false);
  const results = sarif.runs[0]?.results ?? [];
  expect(results[0]).toMatchObject({ ruleId: 'cause/reflects-any-origin', level: 'error' });
  expect(results.some((r) => r.ruleId === 'finding/arbitrary-origin')).toBe(true);
  const md = readFileSync(summary, 'utf8');
  expect(md).toContain('## CORS grade: ❌ fail');
  expect(md).toContain('`reflects-any-origin`');
});
