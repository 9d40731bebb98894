// Grading your own server through Playwright Test:
//   CORS_TARGET=http://127.0.0.1:3000 CORS_POLICY=cors-policy.json npx playwright test
// One test per probe of the battery, in each engine project, so Playwright's own reporters
// (list, html, junit) show every intended use and every attack as a pass or a failure.
import { test, expect } from '../fixtures.ts';
import { buildBattery } from '../../grade/battery.ts';
import { loadPolicy } from '../../grade/policy.ts';
import { grade } from '../../grade/run.ts';
import type { GradeReport } from '../../grade/types.ts';
import { SEVERITY_RANK } from '../../grade/findings.ts';

const target = process.env.CORS_TARGET;
const policyFile = process.env.CORS_POLICY;
if (!target || !policyFile) {
  throw new Error('grading needs both CORS_TARGET (the base URL of your server) and CORS_POLICY (a JSON policy file; see schemas/policy.schema.json)');
}
const policy = loadPolicy(policyFile);
const battery = buildBattery(policy);

test.describe.configure({ mode: 'serial' });

let report: GradeReport | null = null;

test.beforeAll(async ({ gradeSession }) => {
  report = await grade(gradeSession, { target, policy });
});

for (const probe of battery) {
  test(probe.description, async ({ engineId }, testInfo) => {
    const r = report;
    if (!r || !engineId) throw new Error('the grading did not run');
    const observed = r.probes.find((p) => p.id === probe.id)?.results[engineId];
    const findings = r.findings.filter((f) => f.probe === probe.id && f.engines.includes(engineId) && SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low);
    await testInfo.attach('probe', { body: JSON.stringify({ probe, observed, findings }, null, 2), contentType: 'application/json' });
    expect(observed?.outcome, `no verdict: ${observed?.reason ?? 'no result'}`).not.toMatch(/^(error|network-error)$/);
    expect(
      findings.map((f) => `[${f.severity}] ${f.category}: ${f.detail}. Fix: ${f.fix}`),
      `${probe.id} (expected: ${probe.expect})`,
    ).toEqual([]);
  });
}
