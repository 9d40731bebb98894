// The reference run: every built-in case in the engine of this project. Each case's spec
// expectation comes from the spec model and is stored beside what the browser did, never
// mixed with it; the verdict is judged here, once, and journaled with the result as each
// batch completes (runner/results-reporter.ts folds the journals into results.json). A
// batch fails on a harness error (never counted as a verdict), on a divergence from the
// spec that no known divergence explains, and on a known divergence the engine no longer
// shows. CC_CASES=<id prefixes> runs a subset.
import { referenceCases, planBatches } from '../../cases/catalog.ts';
import { KNOWN_DIVERGENCES } from '../../cases/divergences.ts';
import { runCases } from '../../runner/run-cases.ts';
import { CASES_ANNOTATION } from '../../runner/results-reporter.ts';
import { describeVerdict, judge } from '../../runner/verdict.ts';
import { evaluate } from '../../oracle/index.ts';
import type { SpecExpectation } from '../../model/results.ts';
import { test, expect } from '../fixtures.ts';

const batches = planBatches(referenceCases(process.env.CC_CASES));

for (const batch of batches) {
  test(batch.title, { annotation: { type: CASES_ANNOTATION, description: batch.cases.map((c) => c.id).join('\n') } }, async ({
    engine,
    harness,
    runId,
    journal,
  }) => {
    const specs = new Map<string, SpecExpectation>(batch.cases.map((c) => [c.id, evaluate(c)]));
    const errors: string[] = [];
    const divergences: string[] = [];
    await runCases(engine, harness, batch.cases, {
      runId,
      chunkSize: batch.cases.length,
      concurrency: batch.concurrency,
      onResults: (done) =>
        journal.cases(
          engine.info.id,
          done.map(({ case: c, result }) => {
            const spec = specs.get(c.id) as SpecExpectation;
            const verdict = judge(c, engine.info.id, spec, result, KNOWN_DIVERGENCES);
            if (verdict.status === 'error') errors.push(`${c.id}: ${result.reason ?? 'no result'}`);
            else if (verdict.status === 'new-divergence' || verdict.status === 'unexpected-agreement')
              divergences.push(describeVerdict(c, engine.info.id, spec, result, verdict));
            return { case: c, spec, result, verdict };
          }),
        ),
    });
    expect(errors, 'harness errors').toEqual([]);
    expect(divergences, 'divergences from the spec that cases/divergences.ts does not explain').toEqual([]);
  });
}
