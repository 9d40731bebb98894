// The reference run: every built-in case in the engine of this project. Each case's spec
// expectation comes from the spec model and is stored beside what the browser did, never
// mixed with it. Results are journaled as each batch completes
// (runner/results-reporter.ts folds them into results.json). A batch fails on a harness
// error (never counted as a verdict), on a divergence from the spec that no known
// divergence explains, and on a known divergence the engine no longer shows.
import { referenceCases, planBatches } from '../../cases/catalog.ts';
import { runCases } from '../../runner/run-cases.ts';
import { describeVerdict, judge } from '../../runner/verdict.ts';
import { evaluate } from '../../oracle/index.ts';
import type { SpecExpectation } from '../../model/results.ts';
import { test, expect } from '../fixtures.ts';

const batches = planBatches(referenceCases());

for (const batch of batches) {
  test(batch.title, async ({ engine, harness, runId, journal }) => {
    const specs = new Map<string, SpecExpectation>(batch.cases.map((c) => [c.id, evaluate(c)]));
    const results = await runCases(engine, harness, batch.cases, {
      runId,
      chunkSize: batch.cases.length,
      concurrency: batch.concurrency,
      onResults: (done) => journal.cases(engine.info.id, done.map((d) => ({ ...d, spec: specs.get(d.case.id) as SpecExpectation }))),
    });
    const errors: string[] = [];
    const divergences: string[] = [];
    for (const c of batch.cases) {
      const r = results.get(c.id);
      const spec = specs.get(c.id) as SpecExpectation;
      if (!r || r.outcome === 'error') {
        errors.push(`${c.id}: ${r?.reason ?? 'no result'}`);
        continue;
      }
      const verdict = judge(c, engine.info.id, spec, r);
      if (verdict.status === 'new-divergence' || verdict.status === 'unexpected-agreement') {
        divergences.push(describeVerdict(c, engine.info.id, spec, r, verdict));
      }
    }
    expect(errors, 'harness errors').toEqual([]);
    expect(divergences, 'divergences from the spec that cases/divergences.ts does not explain').toEqual([]);
  });
}
