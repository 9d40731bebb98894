// One grading played back: the scenario's real target server is started, the grading is
// planned against it (its setup check and OPTIONS check are real requests) with the search as
// planned when recorded, then run and judged with each engine's recorded observations in
// place of the browser.
import { expect } from '@playwright/test';
import { planGrade } from '../../grade/plan.ts';
import { gradePlanned } from '../../grade/run.ts';
import type { GradeReport } from '../../grade/types.ts';
import { ENGINE_IDS, type EngineId } from '../../model/results.ts';
import { planOn, readRecording, replaySession } from './recording.ts';
import { type GradeOptions, scenario } from './scenarios.ts';

/** The engines every scenario is recorded in. */
export const RECORDED_ENGINES: readonly EngineId[] = ENGINE_IDS;

export async function replayGrade(id: string, engines: readonly EngineId[], options: Partial<GradeOptions> = {}): Promise<GradeReport> {
  const s = scenario(id);
  const recordings = engines.map((e) => readRecording(e, id));
  const search = recordings[0]?.search ?? null;
  for (const r of recordings.slice(1))
    expect(r.search, `the search of ${id} as recorded in ${r.engine.id} and in ${recordings[0]?.engine.id} (npm run record)`).toEqual(search);
  const session = replaySession(recordings);
  const target = await s.start();
  try {
    // The plan is made for real (the setup check, the OPTIONS check) but for the search, which is the recorded one.
    const recorded = search ? planOn(search, target.url) : null;
    const plan = await planGrade({ target: target.url, ...s.options, ...options, ...(recorded ? { shareSearch: async () => recorded } : {}) });
    const report = await gradePlanned(session, plan);
    expect(session.missing, `probes graded now that the recordings of ${id} do not hold: record them again with \`npm run record\``).toEqual([]);
    return report;
  } finally {
    await target.stop();
  }
}

/** The report without its evidence, to attach to a test. */
export function attachment(r: GradeReport): { body: string; contentType: string } {
  return {
    body: JSON.stringify(
      { verdict: r.verdict, causes: r.causes, cookiePolicy: r.cookiePolicy, findings: r.findings.map(({ evidence: _e, ...f }) => f), errors: r.errors },
      null,
      2,
    ),
    contentType: 'application/json',
  };
}
