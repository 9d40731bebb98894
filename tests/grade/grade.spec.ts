// Grading against real servers in this project's engine: a correctly configured server
// passes (under a path prefix, over https, slowly); each misconfiguration class built on
// purpose is found from what the browser itself could read; a target that resets
// connections gives errors, never a made-up CORS verdict. The fixed battery alone runs here:
// the origin search's confirmation is tests/grade/search.spec.ts, the full judgement of each
// class (with the search) is replayed from recordings in tests/replay/grade.spec.ts, and the
// setup errors, which need no browser, are tests/setup/.
import { test, expect } from '../../suites/fixtures.ts';
import { grade } from '../../grade/run.ts';
import type { GradeReport } from '../../grade/types.ts';
import type { TargetTls } from '../../model/wire.ts';
import type { GradeSession } from '../../pipeline/session.ts';
import { ATTACKS, MISCONFIGURATIONS, POLICY, TARGETS, WITHOUT_A_BROWSER, resetsCorsRequests, type Target } from './targets.ts';

async function gradeTarget(session: GradeSession, start: () => Promise<Target>, tls?: TargetTls): Promise<GradeReport> {
  const target = await start();
  try {
    return await grade(session, { target: target.url, policy: POLICY, noSearch: true, ...(tls ? { tls } : {}) });
  } finally {
    await target.stop();
  }
}

const failing = (r: GradeReport) => r.findings.filter((f) => f.severity !== 'info');
const categories = (r: GradeReport) => [...new Set(failing(r).map((f) => f.category))].sort();

function attach(r: GradeReport) {
  return {
    body: JSON.stringify({ verdict: r.verdict, findings: r.findings.map(({ evidence: _e, ...f }) => f), errors: r.errors }, null, 2),
    contentType: 'application/json',
  };
}

const GOOD: Array<[string, () => Promise<Target>, TargetTls?]> = [
  ['express + cors configured for the policy', TARGETS.good],
  ['the same server under a path prefix', TARGETS.pathPrefix],
  ['the same server over https with a self-signed certificate, with verification off', TARGETS.httpsSelfSigned, { insecure: true }],
  ['the same server answering after one second', TARGETS.slow],
];

for (const [title, start, tls] of GOOD) {
  test(`passes: ${title}`, async ({ gradeSession }, testInfo) => {
    const r = await gradeTarget(gradeSession, start, tls);
    if (tls?.insecure) expect(r.certificate).toBe('not-checked');
    await testInfo.attach('grade', attach(r));
    expect(r.errors).toEqual([]);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.probes.every((p) => Object.values(p.results).every((o) => o?.outcome !== 'error'))).toBe(true);
  });
}

test('an https target with a private CA passes with that CA', async ({ gradeSession }) => {
  const t = await TARGETS.httpsPrivateCa();
  try {
    const r = await grade(gradeSession, { target: t.url, policy: POLICY, noSearch: true, tls: { insecure: false, ca: t.ca } });
    expect(r.certificate).toBe('verified');
    expect(r.errors).toEqual([]);
    expect(r.verdict).toBe('pass');
  } finally {
    await t.stop();
  }
});

for (const m of MISCONFIGURATIONS) {
  test(`fails: ${m.title}`, async ({ gradeSession, engineId }, testInfo) => {
    const r = await gradeTarget(gradeSession, m.start);
    await testInfo.attach('grade', attach(r));
    expect(r.verdict).toBe('fail');
    expect(r.errors).toEqual([]);
    for (const c of m.found) expect(categories(r), `finds ${c}`).toContain(c);
    for (const c of m.absent) expect(categories(r), `does not find ${c}`).not.toContain(c);
    const credentialedAttacks = r.findings.filter((f) => ATTACKS.includes(f.category) && f.credentialed);
    expect(credentialedAttacks.length > 0, 'an attacker page read with credentials').toBe(m.credentialedRead);
    expect(
      r.causes
        .filter((c) => c.severity !== 'info')
        .map((c) => c.category)
        .sort(),
      'the root causes',
    ).toEqual([...m.causes].sort());
    for (const f of r.findings) {
      expect(f.engines).toEqual(WITHOUT_A_BROWSER.includes(f.category) ? [] : [engineId]);
      expect(f.evidence.length, `${f.category} has the proxy's evidence`).toBeGreaterThan(0);
      expect(JSON.stringify(f.evidence)).not.toContain('secret-value');
    }
  });
}

test('a target that resets connections gives errors, never a CORS verdict', async ({ gradeSession }, testInfo) => {
  const r = await gradeTarget(gradeSession, resetsCorsRequests);
  await testInfo.attach('grade', attach(r));
  expect(r.verdict).toBe('error');
  expect(r.findings).toEqual([]);
  expect(r.errors.length).toBeGreaterThan(0);
  expect(r.errors.join('\n')).toContain('the target failed');
});
