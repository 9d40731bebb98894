// Shards merged give exactly the results of an unsharded run: a pure test over results files.
// The journals are a real reference run of a subset in each engine (recorded,
// tests/fixtures/recorded/<engine>/reference.jsonl); each shard is a folder as a sharded run
// leaves it (its journal and its results.json), for several ways Playwright may split the
// tests (by engine, by batch, in halves), and `merge` folds them back. The stability tier
// runs the killed and crashed runs in real engines (tests/stability/).
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultsFile } from '../../model/results.ts';
import { resultsSchemaErrors } from '../../model/schemas.ts';
import { foldResults, mergeRuns } from '../../runner/results-store.ts';
import { CLI, run } from '../grade/cli-run.ts';
import { REFERENCE_SUBSET } from './journal.ts';
import { RECORDED_ENGINES } from './replay.ts';
import { foldOptions as options, journals, ORDER, type Unit, units, writeShard } from './shards.ts';

const WAYS: Array<[string, (u: Unit, i: number) => number, number]> = [
  ['by engine', (u) => RECORDED_ENGINES.indexOf(u.engine), RECORDED_ENGINES.length],
  ['batch by batch, alternating', (_u, i) => i % 2, 2],
  ['in two halves of the test list', (_u, i) => (i < units.length / 2 ? 0 : 1), 2],
];

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-merge-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the recorded journals hold a real run of the subset in every engine', () => {
  for (const [engine, lines] of journals) {
    const ids = new Set(lines.flatMap((l) => (l.kind === 'case' ? [l.record.id] : [])));
    expect(ids, `${engine} has a result for every case of ${REFERENCE_SUBSET}`).toEqual(new Set(ORDER));
    expect(lines.filter((l) => l.kind === 'engine').map((l) => l.kind === 'engine' && l.info.id)).toEqual([engine]);
  }
});

const whole = (): ResultsFile => foldResults([...journals.values()].flat(), { ...options(), order: ORDER });
const shape = (r: ResultsFile) =>
  Object.fromEntries(r.cases.flatMap((c) => Object.entries(c.results).map(([e, x]) => [`${c.id} ${e}`, `${x?.outcome} ${x?.preflight} ${x?.status}`])));

for (const [way, shardOf, n] of WAYS) {
  test(`shards split ${way} merge into exactly the unsharded results`, () => {
    const dirs = Array.from({ length: n }, (_, s) =>
      writeShard(
        join(dir, `${way}-${s + 1}`),
        units.filter((u, i) => shardOf(u, i) === s),
      ),
    );
    const merged = mergeRuns(dirs, { order: ORDER, notes: [] });
    const b = whole();
    expect(Object.keys(shape(merged)).length).toBeGreaterThan(100);
    expect(shape(merged)).toEqual(shape(b));
    expect(merged.cases).toEqual(b.cases);
    expect(merged.summary).toEqual(b.summary);
    expect(merged.engines.map((e) => `${e.id} ${e.version}`)).toEqual(b.engines.map((e) => `${e.id} ${e.version}`));
    expect(merged.excludedEngines).toEqual([]);
    expect(merged.complete).toBe(true);
    expect(resultsSchemaErrors(merged)).toEqual([]);
  });
}

test('a shard that did not finish makes the merge incomplete; an engine no shard ran is excluded', () => {
  const [first, ...rest] = RECORDED_ENGINES;
  const done = writeShard(
    join(dir, 'partial-1'),
    units.filter((u) => u.engine === first),
  );
  const cut = writeShard(
    join(dir, 'partial-2'),
    units.filter((u) => u.engine === rest[0]),
    false,
  );
  const merged = mergeRuns([done, cut], { order: ORDER, notes: [] });
  expect(merged.complete).toBe(false);
  expect(merged.excludedEngines).toEqual(rest.slice(1));
  expect(resultsSchemaErrors(merged)).toEqual([]);
});

test('the merge command folds the shards into one results file and report', async () => {
  const dirs = [0, 1].map((s) =>
    writeShard(
      join(dir, `cli-${s + 1}`),
      units.filter((_u, i) => i % 2 === s),
    ),
  );
  const out = join(dir, 'cli-merged');
  const r = await run([...CLI, 'merge', ...dirs, '--out', out]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  expect(shape(merged)).toEqual(shape(whole()));
  expect(merged.cases.map((c) => c.id)).toEqual(whole().cases.map((c) => c.id));
  expect(existsSync(join(out, 'index.html'))).toBe(true);
});
