// The origin search against real Node CORS libraries configured the way people get origin
// checks wrong, confirmed in this project's engine: what the screen flags (over HTTP, no
// browser) a real page on that origin can read, one flagged origin of each class per server;
// and one whole search grading, every flagged origin confirmed, under its root causes. That
// the fixed battery alone passes each of them and the search's causes for all of them are
// replayed from recordings (tests/replay/search.spec.ts), and the candidates and the screen
// need no browser at all (tests/replay/search.spec.ts, tests/unit/candidates.spec.ts).
import { test, expect } from '../../suites/fixtures.ts';
import { grade, gradePlanned } from '../../grade/run.ts';
import { planGrade } from '../../grade/plan.ts';
import type { SearchPlan } from '../../grade/search/search.ts';
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

/** The first flagged origin of each candidate class. */
function onePerClass(plan: SearchPlan): SearchPlan {
  const seen = new Set<string>();
  const probes = plan.probes.filter((p) => {
    const cls = p.kind === 'attacker' ? p.category : p.kind;
    if (seen.has(cls)) return false;
    seen.add(cls);
    return true;
  });
  return { ...plan, probes, summary: { ...plan.summary, probed: probes.length } };
}

for (const t of SEARCH_SELF_TESTS.filter((x) => x.causes.length)) {
  test(`a page on each class of flagged origin can read: ${t.title}`, async ({ gradeSession, engineId }, testInfo) => {
    const server = await t.start();
    try {
      const plan = await planGrade({ target: server.url, policy: t.policy, shareSearch: async (make) => onePerClass(await make()) });
      const search = plan.search;
      expect(search?.probes.length, 'the screen flagged an origin to confirm').toBeGreaterThan(0);
      const r = await gradePlanned(gradeSession, plan);
      await testInfo.attach('grade', summary(r));
      expect(r.errors).toEqual([]);
      expect(r.verdict).toBe('fail');
      // What the screen flagged, the browser lets read; only an origin this engine will not
      // open at all (not applicable) escapes the confirmation.
      const outcomes = r.probes.filter((p) => p.source === 'search').map((p) => [p.pageOrigin, p.results[engineId ?? 'chromium']?.outcome]);
      expect(outcomes.length).toBe(search?.probes.length);
      for (const [origin, outcome] of outcomes) expect(['readable', 'not-applicable'], `${origin} in ${engineId}`).toContain(outcome);
      expect(r.search?.confirmed, `a flagged origin read in ${engineId}`).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
}

// The one whole search in a browser: two causes, every flagged origin tried.
const WHOLE = SEARCH_SELF_TESTS.find((x) => x.id === 'fastify-ends-with');

test(`the search finds it, confirmed under its root causes: ${WHOLE?.title}`, async ({ gradeSession, engineId }, testInfo) => {
  if (!WHOLE) throw new Error('tests/grade/search-targets.ts has no fastify-ends-with');
  const server = await WHOLE.start();
  try {
    const r = await grade(gradeSession, { target: server.url, policy: WHOLE.policy });
    await testInfo.attach('with the search', summary(r));
    expect(r.errors).toEqual([]);
    expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    expect(
      security(r)
        .map((c) => c.category)
        .sort(),
      'the root causes',
    ).toEqual([...WHOLE.causes].sort());
    expect(r.verdict).toBe('fail');
    for (const c of security(r)) {
      const confirmed = c.findings.map((i) => r.findings[i]).filter((f) => f?.engines.includes(engineId ?? 'chromium'));
      expect(confirmed.length, `${c.category} confirmed in ${engineId}`).toBeGreaterThan(0);
    }
    expect(r.search?.candidates).toBeGreaterThan(100);
    expect(r.search?.confirmed).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
});
