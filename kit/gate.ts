// The gate inside an API team's own suite: `await corsGate()` in a spec file turns the whole
// policy into tests, as `CORS_TARGET=... CORS_POLICY=... npx playwright test` does in this
// repository (suites/target/grade-target.spec.ts): the server is graded once per engine, then
// every probe is its own test (the root causes first, every intended use, every attack of the
// fixed battery, every origin the search flagged). `corsProjects()` in playwright.config.ts gives
// one project per engine and the run's private folder through which the runner and its workers
// share the search's plan and each engine's grade.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { browserChoiceFrom, type BrowserChoice } from '../engines/index.ts';
import { parsePathParams, resolveEndpoints } from '../grade/input/endpoints.ts';
import { loadOpenApi } from '../grade/input/openapi.ts';
import { loadPolicy } from '../grade/input/policy.ts';
import { signedInFrom } from '../grade/input/signed-in.ts';
import { failsGrade } from '../grade/judge/findings.ts';
import { planGrade } from '../grade/plan.ts';
import { gradePlanned } from '../grade/run.ts';
import type { GradeReport } from '../grade/types.ts';
import type { EngineId } from '../model/results.ts';
import { wantedEngines } from '../engines/selection.ts';
import { jsonText, terminalText } from '../outputs/text.ts';
import { openGradeSession } from '../pipeline/session.ts';
import { parseTarget } from '../pipeline/target.ts';
import { once } from '../suites/target/once.ts';

/** One Playwright project per engine (chromium, firefox, webkit; CC_ENGINES leaves some out),
 *  for `projects` in playwright.config.ts. Made in the config, which the runner loads first,
 *  it also makes the run's private folder (mkdtemp, mode 0700) that its workers inherit. */
export function corsProjects(engines: readonly EngineId[] = wantedEngines(process.env.CC_ENGINES)): Array<{ name: EngineId; use: { browserName: EngineId } }> {
  if (!process.env.CC_GATE_DIR) {
    const dir = mkdtempSync(join(tmpdir(), 'cors-conformance-gate-'));
    process.env.CC_GATE_DIR = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return engines.map((id) => ({ name: id, use: { browserName: id } }));
}

/** The gate's project options (`use` in playwright.config.ts): the engine, by default the
 *  project's `browserName`, and where its browser comes from, by default as CC_BROWSERS says. */
export interface CorsGateProjectOptions {
  corsEngine: EngineId | undefined;
  corsBrowsers: BrowserChoice | undefined;
}

export interface CorsGateOptions {
  /** The server's base URL; default CORS_TARGET. */
  target?: string;
  /** The policy file; default CORS_POLICY, else ./cors-policy.json. */
  policy?: string;
  /** An OpenAPI document giving the endpoints; default CORS_OPENAPI. */
  openapi?: string;
  /** `name=value` lines for `{name}` in paths; default CORS_PATH_PARAMS. */
  pathParams?: string[];
  /** The origin search (default on); false is the fixed battery alone. */
  search?: boolean;
}

/** An environment variable's values, one per line. */
const lines = (name: string): string[] =>
  (process.env[name] ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Declares the gate's tests in the calling spec file. Call it at the top level, with await. */
export async function corsGate(options: CorsGateOptions = {}): Promise<void> {
  const target = options.target ?? process.env.CORS_TARGET;
  const policyFile = options.policy ?? process.env.CORS_POLICY ?? 'cors-policy.json';
  if (!target) throw new Error('corsGate: no target; set CORS_TARGET (the base URL of your server) or pass { target }');
  const policy = loadPolicy(policyFile);
  // The session's secrets come from the environment only, as the CLI's do.
  const signedIn = signedInFrom({ cookie: lines('CORS_COOKIES'), 'request-header': lines('CORS_REQUEST_HEADERS') }, policy);
  const params = parsePathParams(options.pathParams ?? lines('CORS_PATH_PARAMS'), 'CORS_PATH_PARAMS:');
  const openapi = options.openapi ?? process.env.CORS_OPENAPI;
  const api = openapi ? await loadOpenApi(openapi, params, parseTarget(target).pathname) : null;
  const endpoints = resolveEndpoints(policy, api, params);
  // Every process plans, to list the probes; the search's screen runs once per run, shared.
  const plan = await planGrade({ target, policy, endpoints, signedIn, noSearch: options.search === false, shareSearch: (make) => once('search', make) });

  const test = base.extend<object, CorsGateProjectOptions & { gradeReport: GradeReport }>({
    corsEngine: [undefined, { option: true, scope: 'worker' }],
    corsBrowsers: [undefined, { option: true, scope: 'worker' }],
    gradeReport: [
      async ({ corsEngine, corsBrowsers, browserName }, use) => {
        const engine = corsEngine ?? browserName;
        const report = await once(`grade-${engine}`, async () => {
          const session = await openGradeSession([engine], corsBrowsers ?? browserChoiceFrom(process.env));
          try {
            return await gradePlanned(session, plan);
          } finally {
            await session.close();
          }
        });
        await use(report);
      },
      { scope: 'worker', timeout: 600_000 },
    ],
  });

  const failing = (r: GradeReport) => r.causes.filter((c) => failsGrade(c.severity));

  test('root causes', async ({ gradeReport }, testInfo) => {
    await testInfo.attach('causes', { body: jsonText({ causes: gradeReport.causes, search: gradeReport.search }, 2), contentType: 'application/json' });
    expect(
      failing(gradeReport).map((c) => terminalText(`[${c.severity}] ${c.category}: ${c.title}. ${c.summary} Fix: ${c.fix}`)),
      `${gradeReport.causes.length} root cause(s); the per-probe tests below are the evidence`,
    ).toEqual([]);
  });

  for (const probe of plan.probes) {
    test(terminalText(`${probe.source === 'search' ? 'search: ' : ''}${probe.description}`), async ({ gradeReport, corsEngine, browserName }, testInfo) => {
      const engine = corsEngine ?? browserName;
      const record = gradeReport.probes.find((p) => p.id === probe.id);
      const observed = record?.results[engine];
      const findings = gradeReport.findings.filter((f) => f.probe === probe.id && f.engines.includes(engine) && failsGrade(f.severity));
      await testInfo.attach('probe', { body: jsonText({ probe: record ?? { id: probe.id }, observed, findings }, 2), contentType: 'application/json' });
      expect(observed?.outcome, terminalText(`no verdict: ${observed?.reason ?? 'no result'}`)).not.toMatch(/^(error|network-error)$/);
      expect(
        findings.map((f) => terminalText(`[${f.severity}] ${f.category}: ${f.detail}. Fix: ${f.fix}`)),
        terminalText(`${probe.id} (expected: ${probe.expect})`),
      ).toEqual([]);
    });
  }
}
