// Reference-run shards made from the recorded journals (tests/fixtures/recorded/<engine>/
// reference.jsonl): each test of the run is one batch in one engine's project, and a shard's
// folder is what a sharded run leaves (a journal per engine and its results.json). Used by the
// merge tests here and by the installed package's merge (tests/package/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planBatches, referenceCases } from '../../cases/catalog.ts';
import { KNOWN_DIVERGENCES } from '../../cases/divergences.ts';
import type { EngineId } from '../../model/results.ts';
import { type FoldOptions, foldResults, type JournalLine, writeJsonAtomic } from '../../runner/results-store.ts';
import { readJournal, REFERENCE_SUBSET } from './journal.ts';
import { RECORDED_ENGINES } from './replay.ts';

export const ORDER = referenceCases(REFERENCE_SUBSET).map((c) => c.id);
const DIVERGENCES = KNOWN_DIVERGENCES.map(({ id, title, engines, evidence, observed }) => ({ id, title, engines, evidence, observed }));
export const foldOptions = (complete = true): FoldOptions => ({
  startedAt: '2026-01-01T00:00:00.000Z',
  complete,
  excludedEngines: [],
  notes: [],
  divergences: DIVERGENCES,
});

/** A test of the reference run: one batch in one engine's project. */
export interface Unit {
  engine: EngineId;
  batch: number;
  lines: JournalLine[];
}

export const journals = new Map(RECORDED_ENGINES.map((e) => [e, readJournal(e)]));
const batches = planBatches(referenceCases(REFERENCE_SUBSET));
export const units: Unit[] = RECORDED_ENGINES.flatMap((engine) =>
  batches.map((b, batch) => {
    const ids = new Set(b.cases.map((c) => c.id));
    return { engine, batch, lines: (journals.get(engine) ?? []).filter((l) => l.kind === 'case' && ids.has(l.record.id)) };
  }),
);

/** A shard's folder as its run leaves it: a journal per engine (with the engine's line) and its results.json. */
export function writeShard(dir: string, mine: Unit[], complete = true): string {
  mkdirSync(join(dir, 'journal'), { recursive: true });
  const lines: JournalLine[] = [];
  for (const engine of new Set(mine.map((u) => u.engine))) {
    const own = [...(journals.get(engine) ?? []).filter((l) => l.kind === 'engine'), ...mine.filter((u) => u.engine === engine).flatMap((u) => u.lines)];
    writeFileSync(join(dir, 'journal', `${engine}-0-1.jsonl`), own.map((l) => JSON.stringify(l)).join('\n') + '\n');
    lines.push(...own);
  }
  writeJsonAtomic(join(dir, 'results.json'), foldResults(lines, { ...foldOptions(complete), order: ORDER }));
  return dir;
}
