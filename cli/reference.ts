// The reference run from the command line, with what CI needs around it:
//   reference [--out dir] [--shard i/n] [--repeat N]  runs Playwright Test on reference.config.ts
//   merge <dir>... --out <dir>                          folds shards into one results file and report
// Engines are chosen with CC_ENGINES, as everywhere.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EngineId, ResultsFile } from '../model/results.ts';
import { mergeRuns, writeJsonAtomic } from '../runner/results-store.ts';
import { resultsSchemaErrors } from '../model/schemas.ts';
import { RUN_NOTES } from '../runner/notes.ts';
import { referenceCases } from '../cases/catalog.ts';
import { buildReport } from '../report/build.ts';

const PLAYWRIGHT_CLI = new URL('../node_modules/playwright/cli.js', import.meta.url).pathname;

/** Runs one reference run into `out`; resolves with Playwright's exit code. */
export function runReference(out: string, extraArgs: string[] = []): Promise<number> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      [PLAYWRIGHT_CLI, 'test', '-c', 'reference.config.ts', `--output=${join(resolve(out), 'test-output')}`, ...extraArgs],
      {
        env: { ...process.env, CC_OUT: resolve(out) },
        stdio: 'inherit',
      },
    );
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
  });
}

export interface OutcomeChange {
  case: string;
  engine: EngineId;
  /** Outcome and preflight per repeat, e.g. `allowed/pf` `blocked/-`. */
  observed: string[];
}

/** Cases whose outcome or preflight differ between runs of the same matrix. */
export function outcomeChanges(runs: ResultsFile[]): OutcomeChange[] {
  const shapes = new Map<string, string[]>();
  runs.forEach((run, i) => {
    for (const c of run.cases) {
      for (const [engine, r] of Object.entries(c.results)) {
        const key = `${c.id}\u0000${engine}`;
        const list = shapes.get(key) ?? Array<string>(runs.length).fill('missing');
        list[i] = r ? `${r.outcome}/${r.preflight === null ? '?' : r.preflight ? 'pf' : '-'}` : 'missing';
        shapes.set(key, list);
      }
    }
  });
  const changes: OutcomeChange[] = [];
  for (const [key, observed] of shapes) {
    if (new Set(observed).size > 1) {
      const [id, engine] = key.split('\u0000') as [string, EngineId];
      changes.push({ case: id, engine, observed });
    }
  }
  return changes;
}

function readResults(dir: string): ResultsFile {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
}

export async function referenceCommand(opts: { out: string; shard?: string; repeat: number }): Promise<number> {
  const shardArgs = opts.shard ? [`--shard=${opts.shard}`] : [];
  if (opts.repeat <= 1) {
    const code = await runReference(opts.out, shardArgs);
    buildReport({ input: join(opts.out, 'results.json'), out: opts.out });
    return code;
  }
  const dirs: string[] = [];
  let failed = 0;
  const started = Date.now();
  for (let i = 1; i <= opts.repeat; i++) {
    const dir = join(opts.out, `repeat-${i}`);
    mkdirSync(dir, { recursive: true });
    console.log(`cors-conformance: repeat ${i} of ${opts.repeat}`);
    if ((await runReference(dir, shardArgs)) !== 0) failed++;
    dirs.push(dir);
  }
  const changes = outcomeChanges(dirs.map(readResults));
  const summary = { repeats: opts.repeat, failedRuns: failed, wallSeconds: Math.round((Date.now() - started) / 1000), changed: changes };
  writeFileSync(join(opts.out, 'stability.json'), JSON.stringify(summary, null, 1));
  console.log(`cors-conformance: ${opts.repeat} repeats, ${changes.length} case×engine outcome(s) changed between repeats, ${failed} run(s) failed`);
  for (const c of changes.slice(0, 50)) console.log(`  ${c.engine} ${c.case}: ${c.observed.join(' ')}`);
  return changes.length || failed ? 1 : 0;
}

export function mergeCommand(dirs: string[], out: string): number {
  const merged = mergeRuns(dirs, {
    order: referenceCases(undefined).map((c) => c.id),
    notes: [...RUN_NOTES, `merged from ${dirs.length} runs: ${dirs.join(', ')}`],
  });
  const invalid = resultsSchemaErrors(merged);
  if (invalid.length) {
    console.error(`cors-conformance: the merged file does not match schemas/results.schema.json:\n  ${invalid.join('\n  ')}`);
    return 1;
  }
  mkdirSync(out, { recursive: true });
  writeJsonAtomic(join(out, 'results.json'), merged);
  const report = buildReport({ input: join(out, 'results.json'), out });
  console.log(`cors-conformance: merged ${merged.cases.length} cases from ${dirs.length} runs into ${join(out, 'results.json')} and ${report.index}`);
  return 0;
}
