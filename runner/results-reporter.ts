// A Playwright reporter that keeps reports/<run>/results.json current: after every test
// (one batch of cases) it folds the workers' journals into the results file, so what
// finished is on disk even if the run is killed.
import type { FullConfig, Reporter, Suite, TestCase, TestResult, FullResult } from '@playwright/test/reporter';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ENGINE_IDS, type EngineId, type ResultsFile } from '../model/results.ts';
import { resultsSchemaErrors } from './validate-results.ts';
import { foldResults, outDir, readJournals, resetRun, writeJsonAtomic } from './results-store.ts';
import { RUN_NOTES } from './notes.ts';
import { planBatches, referenceCases } from '../cases/catalog.ts';

export default class ResultsReporter implements Reporter {
  private readonly dir = outDir();
  private readonly startedAt = new Date().toISOString();
  private excluded: EngineId[] = [];
  private failed: string[] = [];
  private readonly cases = referenceCases();
  private readonly order = this.cases.map((c) => c.id);
  /** Per engine, the case ids of the batches this run (or shard) was given. */
  private readonly expected = new Map<EngineId, string[]>();

  onBegin(_config: FullConfig, suite: Suite): void {
    mkdirSync(this.dir, { recursive: true });
    resetRun(this.dir);
    const ran = new Set(suite.suites.map((s) => s.title));
    this.excluded = ENGINE_IDS.filter((id) => !ran.has(id));
    const batches = new Map(planBatches(this.cases).map((b) => [b.title, b.cases.map((c) => c.id)]));
    for (const project of suite.suites) {
      const id = project.title as EngineId;
      this.expected.set(id, project.allTests().flatMap((t) => batches.get(t.title) ?? []));
    }
    if (this.excluded.length) console.log(`cors-conformance: engines left out by name: ${this.excluded.join(', ')}`);
    this.flush(false);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'passed' && result.status !== 'skipped') {
      this.failed.push(`${test.parent.project()?.name ?? '?'}: ${test.title}: ${result.error?.message?.split('\n')[0] ?? result.status}`);
    }
    this.flush(false);
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    let { file, data } = this.flush(result.status === 'passed');
    // An engine that crashed or hung leaves cases without its result: say which, loudly.
    const missing = [...this.expected].flatMap(([engine, ids]) => {
      const have = new Set(data.cases.filter((c) => c.results[engine]).map((c) => c.id));
      const lost = ids.filter((id) => !have.has(id));
      return lost.length ? [`missing: ${engine} has no result for ${lost.length} of ${ids.length} cases (first: ${lost.slice(0, 3).join(', ')})`] : [];
    });
    if (missing.length) {
      this.failed.push(...missing);
      ({ file, data } = this.flush(false));
      for (const m of missing) console.error(`cors-conformance: ${m}`);
    }
    console.log(`cors-conformance: results written to ${file}`);
    const invalid = resultsSchemaErrors(data);
    if (invalid.length) {
      console.error(`cors-conformance: ERROR ${file} does not match schemas/results.schema.json:\n  ${invalid.join('\n  ')}`);
      return { status: 'failed' };
    }
    return missing.length ? { status: 'failed' } : undefined;
  }

  private flush(complete: boolean): { file: string; data: ResultsFile } {
    const file = join(this.dir, 'results.json');
    const notes = [...RUN_NOTES, ...this.failed.map((f) => (f.startsWith('missing:') ? f : `failed: ${f}`))];
    const data = foldResults(readJournals(this.dir), { startedAt: this.startedAt, complete, excludedEngines: this.excluded, notes, order: this.order });
    writeJsonAtomic(file, data);
    return { file, data };
  }
}
