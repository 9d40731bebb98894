// The judgement of a grading, from what real engines did: each misconfiguration class is
// found under its categories and root causes, with the origin search and with the fixed
// battery alone; the correct server passes, a target that
// resets connections gives errors and no verdict. The observations are the ones recorded in
// Chromium, Firefox and WebKit (tests/fixtures/recorded/), played back through grade()
// against the same real servers; the browser tier grades each class in the engines.
import { test, expect } from '@playwright/test';
import type { GradeReport } from '../../grade/types.ts';
import type { EngineId } from '../../model/results.ts';
import { SEVERITY_RANK } from '../../grade/judge/findings.ts';
import { ATTACKS, MISCONFIGURATIONS, WITHOUT_A_BROWSER } from '../grade/targets.ts';
import { attachment, RECORDED_ENGINES, replayGrade } from './replay.ts';

const failing = (r: GradeReport) => r.findings.filter((f) => f.severity !== 'info');
const categories = (r: GradeReport) => [...new Set(failing(r).map((f) => f.category))].sort();
const securityCauses = (r: GradeReport) =>
  r.causes
    .filter((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.low)
    .map((c) => c.category)
    .sort();

for (const engine of RECORDED_ENGINES) {
  test(`${engine}: the correct server passes`, async ({}, testInfo) => {
    const r = await replayGrade('grade/good', [engine]);
    await testInfo.attach('grade', attachment(r));
    expect(r.errors).toEqual([]);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.probes.every((p) => Object.values(p.results).every((o) => o?.outcome !== 'error'))).toBe(true);
  });

  // With the origin search, as the command line grades by default, and with the fixed battery
  // alone, as the browser tier grades each class (tests/grade/grade.spec.ts).
  for (const [m, noSearch] of MISCONFIGURATIONS.flatMap((x) => [[x, false] as const, [x, true] as const])) {
    test(`${engine}: fails: ${m.title}${noSearch ? ' (the fixed battery alone)' : ''}`, async ({}, testInfo) => {
      const r = await replayGrade(`grade/${m.id}`, [engine], { noSearch });
      await testInfo.attach('grade', attachment(r));
      expect(r.verdict).toBe('fail');
      expect(r.errors).toEqual([]);
      for (const c of m.found) expect(categories(r), `finds ${c}`).toContain(c);
      for (const c of m.absent) expect(categories(r), `does not find ${c}`).not.toContain(c);
      const credentialedAttacks = r.findings.filter((f) => ATTACKS.includes(f.category) && f.credentialed);
      expect(credentialedAttacks.length > 0, 'an attacker page read with credentials').toBe(m.credentialedRead);
      for (const f of credentialedAttacks) expect(f.severity).toBe('high');
      expect(securityCauses(r), 'the root causes').toEqual([...m.causes].sort());
      for (const f of r.findings) {
        expect(f.engines).toEqual(WITHOUT_A_BROWSER.includes(f.category) ? [] : [engine]);
        expect(f.evidence.length, `${f.category} has the proxy's evidence`).toBeGreaterThan(0);
        expect(JSON.stringify(f.evidence)).not.toContain('secret-value');
      }
      // Every finding is the evidence of a root cause.
      expect(
        r.causes
          .flatMap((c) => c.findings)
          .sort((a, b) => a - b)
          .filter((i, n, all) => all.indexOf(i) === n),
      ).toEqual(r.findings.map((_, i) => i));
    });
  }

  test(`${engine}: a target that resets connections gives errors, never a CORS verdict`, async ({}, testInfo) => {
    const r = await replayGrade('grade/resets-cors-requests', [engine]);
    await testInfo.attach('grade', attachment(r));
    expect(r.verdict).toBe('error');
    expect(r.findings).toEqual([]);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.join('\n')).toContain('the target failed');
  });
}

// The command line grades in all three engines at once: one finding per mistake and origin,
// naming every engine that showed it.
for (const m of MISCONFIGURATIONS) {
  test(`all engines: ${m.title}: each finding names the engines that showed it`, async () => {
    const alone = new Map<EngineId, GradeReport>();
    for (const e of RECORDED_ENGINES) alone.set(e, await replayGrade(`grade/${m.id}`, [e]));
    const r = await replayGrade(`grade/${m.id}`, RECORDED_ENGINES);
    // One finding per mistake, origin, path and probe (a missing Vary is one per origin and path).
    const key = (f: GradeReport['findings'][number]) =>
      `${f.category} ${f.origin} ${f.credentialed} ${f.path} ${f.category === 'missing-vary' ? '' : f.probe} ${f.session ?? ''}`;
    const expected = new Map<string, string[]>();
    for (const [engine, report] of alone) {
      for (const f of report.findings) {
        const seen = expected.get(key(f)) ?? [];
        if (!WITHOUT_A_BROWSER.includes(f.category)) seen.push(engine);
        expected.set(key(f), seen);
      }
    }
    expect(new Map(r.findings.map((f) => [key(f), [...f.engines].sort()]))).toEqual(new Map([...expected].map(([k, v]) => [k, v.sort()])));
    expect(securityCauses(r)).toEqual([...m.causes].sort());
    expect(r.engines.map((e) => e.id)).toEqual([...RECORDED_ENGINES]);
  });
}
