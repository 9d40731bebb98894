// The origin search against real Node CORS libraries configured the way people get origin
// checks wrong: the screen, run for real against each server over HTTP, flags origins on the
// misconfigured ones and none on the correct ones; the fixed battery alone passes each of
// them (so the claim that only the search finds them stays true), and the search finds each
// under the right root cause, from the search planned when recorded and what each engine's
// pages could read (replayed). The browser tier confirms flagged origins in the engines
// (tests/grade/search.spec.ts).
import { test, expect } from '@playwright/test';
import type { GradeReport } from '../../grade/types.ts';
import { SEVERITY_RANK } from '../../grade/judge/findings.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { planGrade } from '../../grade/plan.ts';
import { SEARCH_SELF_TESTS } from '../grade/search-targets.ts';
import { attachment, RECORDED_ENGINES, replayGrade } from './replay.ts';

const security = (r: GradeReport) => r.causes.filter((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.low);

for (const t of SEARCH_SELF_TESTS) {
  test(`the screen, without a browser: ${t.causes.length ? 'flags origins to confirm' : 'flags nothing'}: ${t.title}`, async () => {
    const server = await t.start();
    try {
      const { search } = await planGrade({ target: server.url, policy: t.policy });
      if (!search) throw new Error('planned without the search');
      expect(search.summary.candidates).toBeGreaterThan(100);
      if (t.causes.length) {
        expect(search.probes.length).toBeGreaterThan(0);
      } else {
        expect(search.summary.flagged).toBe(0);
        expect(search.probes).toEqual([]);
      }
    } finally {
      await server.stop();
    }
  });

  for (const engine of RECORDED_ENGINES) {
    test(`${engine}: ${t.causes.length ? 'found only by the search' : 'passes with and without the search'}: ${t.title}`, async ({}, testInfo) => {
      const fixed = await replayGrade(`search/${t.id}`, [engine], { noSearch: true });
      await testInfo.attach('fixed battery', attachment(fixed));
      expect(fixed.errors).toEqual([]);
      expect(
        security(fixed).map((c) => c.category),
        'the fixed battery alone',
      ).toEqual([]);

      const searched = await replayGrade(`search/${t.id}`, [engine]);
      await testInfo.attach('with the search', attachment(searched));
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
        const confirmed = c.findings.map((i) => searched.findings[i]).filter((f) => f?.engines.includes(engine));
        expect(confirmed.length, `${c.category} confirmed in ${engine}`).toBeGreaterThan(0);
      }
      expect(searched.search?.candidates).toBeGreaterThan(100);
      if (t.causes.length) expect(searched.search?.confirmed).toBeGreaterThan(0);
    });
  }
}
