// Grading your own server through Playwright Test:
//   CORS_TARGET=http://127.0.0.1:3000 CORS_POLICY=cors-policy.json npx playwright test
// with, as the CLI's flags, one value per line: CORS_OPENAPI (a document), CORS_PATH_PARAMS
// (name=value), CORS_COOKIES (name=value, the signed-in session) and CORS_REQUEST_HEADERS
// ('Name: value'); the last two are secrets and are redacted wherever the grade is written.
// The server is graded once per engine (a worker-scoped fixture); then every probe is its
// own test, passing or failing on its own, so Playwright's reporters (list, html, junit)
// show the whole grade: the root causes first, every intended use, every attack of the fixed
// battery, and every origin the search flagged for the browsers to confirm.
import { test as base, expect } from '@playwright/test';
import type { BrowserChoice } from '../../engines/detect.ts';
import type { EngineId } from '../../model/results.ts';
import { parsePathParams, resolveEndpoints } from '../../grade/input/endpoints.ts';
import { loadOpenApi } from '../../grade/input/openapi.ts';
import { loadPolicy } from '../../grade/input/policy.ts';
import { signedInFrom } from '../../grade/input/signed-in.ts';
import { planGrade } from '../../grade/plan.ts';
import { parseTarget } from '../../pipeline/target.ts';
import type { GradeReport } from '../../grade/types.ts';
import { failsGrade } from '../../grade/judge/findings.ts';
import { jsonText, terminalText } from '../../outputs/text.ts';
import { once } from './once.ts';

const target = process.env.CORS_TARGET;
const policyFile = process.env.CORS_POLICY;
if (!target || !policyFile) {
  throw new Error('grading needs both CORS_TARGET (the base URL of your server) and CORS_POLICY (a JSON policy file; see schemas/policy.schema.json)');
}
/** An environment variable's values, one per line. */
const lines = (name: string): string[] =>
  (process.env[name] ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const policy = loadPolicy(policyFile);
const signedIn = signedInFrom({ cookie: lines('CORS_COOKIES'), 'request-header': lines('CORS_REQUEST_HEADERS') }, policy);
const params = parsePathParams(lines('CORS_PATH_PARAMS'), 'CORS_PATH_PARAMS:');
const api = process.env.CORS_OPENAPI ? await loadOpenApi(process.env.CORS_OPENAPI, params, parseTarget(target).pathname) : null;
const endpoints = resolveEndpoints(policy, api, params);
// Every process plans the grading, to list its probes; the search's screen runs once per run
// and is shared, so that the runner and every worker list the same probes.
const plan = await planGrade({ target, policy, endpoints, signedIn, shareSearch: (make) => once('search', make) });

// Only the first worker of an engine starts it and grades; a worker that replaces one after a
// failing test reads that grade. Playwright replaces a worker after every failing test, so
// what a worker loads up front is kept small: the engines and the grading load on first use.
const test = base.extend<object, { engineId: EngineId | null; browsers: BrowserChoice; gradeReport: GradeReport }>({
  engineId: [null, { option: true, scope: 'worker' }],
  browsers: [{ source: 'auto' }, { option: true, scope: 'worker' }],
  gradeReport: [
    async ({ engineId, browsers }, use) => {
      const report = await once(`grade-${engineId}`, async () => {
        if (!engineId) throw new Error('this project names no engine');
        const { openGradeSession } = await import('../../pipeline/session.ts');
        const { gradePlanned } = await import('../../grade/run.ts');
        const session = await openGradeSession([engineId], browsers);
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

// Titles, messages and attachments carry the target's paths, the policy's origins and the
// engines' words, and Playwright prints them to a terminal: each goes through terminalText
// (or, as JSON, jsonText), so none can colour a line or print one of its own.

test('root causes', async ({ gradeReport }, testInfo) => {
  await testInfo.attach('causes', {
    body: jsonText({ causes: gradeReport.causes, search: gradeReport.search }, 2),
    contentType: 'application/json',
  });
  expect(
    failing(gradeReport).map((c) => terminalText(`[${c.severity}] ${c.category}: ${c.title}. ${c.summary} Fix: ${c.fix}`)),
    `${gradeReport.causes.length} root cause(s); the per-probe tests below are the evidence`,
  ).toEqual([]);
});

for (const probe of plan.probes) {
  test(terminalText(`${probe.source === 'search' ? 'search: ' : ''}${probe.description}`), async ({ gradeReport, engineId }, testInfo) => {
    if (!engineId) throw new Error('the grading did not run');
    // The report's record of the probe, never the plan's: the report's is redacted (the given
    // request header values and cookies), and attachments reach Playwright's reporters.
    const record = gradeReport.probes.find((p) => p.id === probe.id);
    const observed = record?.results[engineId];
    const findings = gradeReport.findings.filter((f) => f.probe === probe.id && f.engines.includes(engineId) && failsGrade(f.severity));
    await testInfo.attach('probe', { body: jsonText({ probe: record ?? { id: probe.id }, observed, findings }, 2), contentType: 'application/json' });
    expect(observed?.outcome, terminalText(`no verdict: ${observed?.reason ?? 'no result'}`)).not.toMatch(/^(error|network-error)$/);
    expect(
      findings.map((f) => terminalText(`[${f.severity}] ${f.category}: ${f.detail}. Fix: ${f.fix}`)),
      terminalText(`${probe.id} (expected: ${probe.expect})`),
    ).toEqual([]);
  });
}
