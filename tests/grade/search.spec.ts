// The origin search against real Node CORS libraries configured the way people get origin
// checks wrong: the fixed battery alone passes each of them (shown here, so the claim stays
// true), the search finds each, confirmed in this project's engine, under the right root
// cause; the correct configurations give no security finding either way.
import { test, expect } from '../../suites/fixtures.ts';
import { grade } from '../../grade/run.ts';
import type { GradeReport } from '../../grade/types.ts';
import { SEVERITY_RANK } from '../../grade/judge/findings.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { SEARCH_SELF_TESTS } from './search-targets.ts';

const security = (r: GradeReport) => r.causes.filter((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.low);

function summary(r: GradeReport) {
  return {
    body: JSON.stringify({ verdict: r.verdict, causes: r.causes, search: r.search, findings: r.findings.map(({ evidence: _e, ...f }) => f) }, null, 2),
    contentType: 'application/json',
  };
}

for (const t of SEARCH_SELF_TESTS) {
  test(`${t.causes.length ? 'found only by the search' : 'passes with and without the search'}: ${t.title}`, async ({ gradeSession, engineId }, testInfo) => {
    // Two gradings, the second confirming up to a few hundred origins, each its own page.
    test.setTimeout(300_000);
    const server = await t.start();
    try {
      const fixed = await grade(gradeSession, { target: server.url, policy: t.policy, noSearch: true });
      await testInfo.attach('fixed battery', summary(fixed));
      expect(fixed.errors).toEqual([]);
      expect(
        security(fixed).map((c) => c.category),
        'the fixed battery alone',
      ).toEqual([]);

      const searched = await grade(gradeSession, { target: server.url, policy: t.policy });
      await testInfo.attach('with the search', summary(searched));
      expect(searched.errors).toEqual([]);
      expect(gradeSchemaErrors(JSON.parse(JSON.stringify(searched)))).toEqual([]);
      expect(
        security(searched)
          .map((c) => c.category)
          .sort(),
        'the root causes',
      ).toEqual([...t.causes].sort());
      expect(searched.verdict).toBe(t.causes.length ? 'fail' : 'pass');
      for (const c of security(searched)) {
        const confirmed = c.findings.map((i) => searched.findings[i]).filter((f) => f?.engines.includes(engineId ?? 'chromium'));
        expect(confirmed.length, `${c.category} confirmed in ${engineId}`).toBeGreaterThan(0);
      }
      const s = searched.search;
      expect(s?.candidates).toBeGreaterThan(100);
      if (t.causes.length) expect(s?.confirmed).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
}
