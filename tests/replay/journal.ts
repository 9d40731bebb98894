// A recorded reference run's journal (tests/fixtures/recorded/<engine>/reference.jsonl): the
// lines a real run's workers wrote for a subset of the catalog in one engine, with tokens and
// times taken out so that a new recording diffs line by line.
import { readFileSync } from 'node:fs';
import { referenceCases } from '../../cases/catalog.ts';
import type { EngineId } from '../../model/results.ts';
import type { JournalLine } from '../../runner/results-store.ts';
import { recordingFile } from './recording.ts';

/** The cases recorded: the basics, the standard's examples and the null origin. */
export const REFERENCE_SUBSET = 'basics,standard,origins/null';

/** A probe token (run, engine, probe hash), wherever it shows (URLs in console lines). */
const TOKEN = /\b[0-9a-z]+\.(chromium|firefox|webkit)\.([A-Za-z0-9_-]{16})\b/g;

/** The journal's lines as a stable file: one engine line, then the cases in the catalog's order. */
export function stableJournal(text: string): string {
  const lines = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l.replace(TOKEN, 'run.$1.$2')) as JournalLine);
  const rank = new Map(referenceCases(REFERENCE_SUBSET).map((c, i) => [c.id, i]));
  const engine = lines.find((l) => l.kind === 'engine');
  const cases = lines
    .flatMap((l) => (l.kind === 'case' ? [{ ...l, result: { ...l.result, ...(l.result.elapsedMs !== undefined ? { elapsedMs: 0 } : {}) } }] : []))
    .sort((a, b) => (rank.get(a.record.id) ?? Infinity) - (rank.get(b.record.id) ?? Infinity));
  return [...(engine ? [engine] : []), ...cases].map((l) => JSON.stringify(l)).join('\n') + '\n';
}

export function readJournal(engine: EngineId): JournalLine[] {
  const file = recordingFile(engine, 'reference').replace(/\.json$/, '.jsonl');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`no recording ${file} (${(err as Error).message.split('\n')[0]}); record it with \`npm run record\``);
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as JournalLine);
}
