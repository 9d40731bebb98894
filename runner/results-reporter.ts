// A Playwright reporter that keeps <outDir>/results.json current: after every test (one
// batch of cases) it folds what the workers' journals gained into the results file, so what
// finished is on disk even if the run is killed. Each reference test declares the case ids
// it covers in a `cases` annotation; the reporter learns the run's cases from those.
import type { FullConfig, Reporter, Suite, TestCase, TestResult, FullResult } from '@playwright/test/reporter';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ENGINE_IDS, type EngineId, type KnownDivergence } from '../model/results.ts';
import { resultsSchemaErrors } from '../model/schemas.ts';
import { JournalTail, ResultsFold, resetRun, writeFileAtomic, type FoldOptions } from './results-store.ts';

export interface ResultsReporterOptions {
  outDir: string;
  /** What the results file says about how the engines were set up. */
  notes: readonly string[];
  /** The known divergences the workers judge against, listed in the file. */
  divergences: KnownDivergence[];
  /** Case ids in their defined order, so the file's order never depends on timing or batching. */
  order: readonly string[];
}

/** The annotation type whose description lists a reference test's case ids, one per line. */
export const CASES_ANNOTATION = 'cases';

/** Milliseconds spent folding and writing after each test (fold-timings.json, read by the benchmark). */
export interface FoldTiming {
  test: number;
  lines: number;
  foldMs: number;
  writeMs: number;
}

export default class ResultsReporter implements Reporter {
  private readonly startedAt = new Date().toISOString();
  private excluded: EngineId[] = [];
  private failed: string[] = [];
  /** Per engine, the case ids of the tests this run (or shard) was given. */
  private readonly expected = new Map<EngineId, string[]>();
  private readonly tail: JournalTail;
  private readonly fold: ResultsFold;
  private readonly timings: FoldTiming[] = [];

  constructor(private readonly options: ResultsReporterOptions) {
    this.tail = new JournalTail(options.outDir);
    this.fold = new ResultsFold(options.order);
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    mkdirSync(this.options.outDir, { recursive: true });
    resetRun(this.options.outDir);
    const ran = new Set(suite.suites.map((s) => s.title));
    this.excluded = ENGINE_IDS.filter((id) => !ran.has(id));
    for (const project of suite.suites) {
      const ids = project.allTests().flatMap((t) => t.annotations.filter((a) => a.type === CASES_ANNOTATION).flatMap((a) => a.description?.split('\n') ?? []));
      this.expected.set(project.title as EngineId, ids);
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
    this.flush(result.status === 'passed');
    const data = this.fold.toFile(this.foldOptions(result.status === 'passed'));
    // An engine that crashed or hung leaves cases without its result: say which, loudly.
    const missing = [...this.expected].flatMap(([engine, ids]) => {
      const have = new Set(data.cases.filter((c) => c.results[engine]).map((c) => c.id));
      const lost = ids.filter((id) => !have.has(id));
      return lost.length ? [`missing: ${engine} has no result for ${lost.length} of ${ids.length} cases (first: ${lost.slice(0, 3).join(', ')})`] : [];
    });
    if (missing.length) {
      this.failed.push(...missing);
      this.flush(false);
      for (const m of missing) console.error(`cors-conformance: ${m}`);
    }
    const file = join(this.options.outDir, 'results.json');
    writeFileAtomic(join(this.options.outDir, 'fold-timings.json'), JSON.stringify(this.timings));
    console.log(`cors-conformance: results written to ${file}`);
    const invalid = resultsSchemaErrors(this.fold.toFile(this.foldOptions(!missing.length && result.status === 'passed')));
    if (invalid.length) {
      console.error(`cors-conformance: ERROR ${file} does not match schemas/results.schema.json:\n  ${invalid.join('\n  ')}`);
      return { status: 'failed' };
    }
    return missing.length ? { status: 'failed' } : undefined;
  }

  private foldOptions(complete: boolean): FoldOptions {
    const notes = [...this.options.notes, ...this.failed.map((f) => (f.startsWith('missing:') ? f : `failed: ${f}`))];
    return { startedAt: this.startedAt, complete, excludedEngines: this.excluded, notes, divergences: this.options.divergences };
  }

  private flush(complete: boolean): void {
    const t0 = performance.now();
    const lines = this.tail.next();
    this.fold.add(lines);
    const t1 = performance.now();
    writeFileAtomic(join(this.options.outDir, 'results.json'), this.fold.serialize(this.foldOptions(complete)));
    this.timings.push({ test: this.timings.length, lines: lines.length, foldMs: t1 - t0, writeMs: performance.now() - t1 });
  }
}
