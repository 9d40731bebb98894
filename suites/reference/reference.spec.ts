// The reference run: every built-in case in the engine of this project, results journaled
// as each batch completes (runner/results-reporter.ts folds them into results.json).
// A harness error fails the batch: it is never counted as a verdict.
import { referenceCases, planBatches } from '../catalog.ts';
import { runCases } from '../../runner/run-cases.ts';
import { test, expect } from '../fixtures.ts';

const batches = planBatches(referenceCases());

for (const batch of batches) {
  test(batch.title, async ({ engine, harness, runId, journal }) => {
    const results = await runCases(engine, harness, batch.cases, {
      runId,
      chunkSize: batch.cases.length,
      onResults: (done) => journal.cases(engine.info.id, done),
    });
    const errors = batch.cases
      .filter((c) => results.get(c.id)?.outcome !== 'allowed' && results.get(c.id)?.outcome !== 'blocked')
      .map((c) => `${c.id}: ${results.get(c.id)?.reason ?? 'no result'}`);
    expect(errors, 'harness errors').toEqual([]);
  });
}
