// Results are written as cases complete. Workers append journal lines (one file per
// worker, append-only, so a crash or a kill keeps every finished chunk); the reporter
// folds the journals into reports/<run>/results.json, rewritten atomically.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { CorsCase } from '../model/case.ts';
import { agreementFor, summarize } from './verdict.ts';
import { KNOWN_DIVERGENCES } from '../cases/divergences.ts';
import { ENGINE_IDS, type CaseRecord, type EngineId, type EngineInfo, type EngineResult, type ResultsFile, type SpecExpectation } from '../model/results.ts';

const TOOL_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export type JournalLine =
  | { kind: 'engine'; info: EngineInfo }
  | { kind: 'case'; engine: EngineId; record: Omit<CaseRecord, 'results'>; result: EngineResult };

export function outDir(): string {
  return resolve(process.env.CC_OUT ?? 'reports/latest');
}

function journalDir(dir: string): string {
  return join(dir, 'journal');
}

export class Journal {
  private readonly file: string;
  constructor(dir: string, name: string) {
    mkdirSync(journalDir(dir), { recursive: true });
    this.file = join(journalDir(dir), `${name}.jsonl`);
  }
  write(lines: JournalLine[]): void {
    if (lines.length) appendFileSync(this.file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
  engine(info: EngineInfo): void {
    this.write([{ kind: 'engine', info }]);
  }
  cases(engine: EngineId, done: Array<{ case: CorsCase; spec?: SpecExpectation; result: EngineResult }>): void {
    this.write(
      done.map(({ case: c, spec, result }) => ({
        kind: 'case' as const,
        engine,
        record: { id: c.id, group: c.group, title: c.title, request: c.request, response: c.response, ...(spec ? { spec } : {}) },
        result,
      })),
    );
  }
}

export function resetRun(dir: string): void {
  rmSync(journalDir(dir), { recursive: true, force: true });
  mkdirSync(journalDir(dir), { recursive: true });
}

export function readJournals(dir: string): JournalLine[] {
  const jdir = journalDir(dir);
  if (!existsSync(jdir)) return [];
  const lines: JournalLine[] = [];
  for (const f of readdirSync(jdir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(jdir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as JournalLine);
      } catch {
        // A line cut short by a kill: everything before it stands.
      }
    }
  }
  return lines;
}

export interface FoldOptions {
  startedAt: string;
  complete: boolean;
  excludedEngines: EngineId[];
  notes: string[];
  /** Case ids in their defined order, so the file's order never depends on timing. */
  order?: string[];
}

export function foldResults(lines: JournalLine[], opts: FoldOptions): ResultsFile {
  const engines = new Map<EngineId, EngineInfo>();
  const cases = new Map<string, CaseRecord>();
  for (const l of lines) {
    if (l.kind === 'engine') engines.set(l.info.id, l.info);
    else {
      const rec = cases.get(l.record.id) ?? { ...l.record, results: {} };
      rec.results[l.engine] = l.result;
      cases.set(l.record.id, rec);
    }
  }
  const rank = new Map((opts.order ?? []).map((id, i) => [id, i]));
  const sorted = [...cases.values()].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.id.localeCompare(b.id));
  for (const rec of sorted) {
    const agreement = agreementFor(rec);
    if (agreement) rec.agreement = agreement;
  }
  return {
    schema: 'cors-conformance/results@1',
    tool: { name: 'cors-conformance', version: TOOL_VERSION },
    startedAt: opts.startedAt,
    updatedAt: new Date().toISOString(),
    complete: opts.complete,
    environment: { platform: `${process.platform}-${process.arch}`, cpus: cpus().length, node: process.version, notes: opts.notes },
    engines: ENGINE_IDS.filter((id) => engines.has(id)).map((id) => engines.get(id) as EngineInfo),
    excludedEngines: opts.excludedEngines,
    summary: summarize(sorted),
    divergences: KNOWN_DIVERGENCES.map(({ id, title, engines, evidence, observed }) => ({ id, title, engines, evidence, observed })),
    cases: sorted,
  };
}

export function writeJsonAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 1));
  renameSync(tmp, file);
}

/** Folds the journals of several runs (shards) into one results file, in the catalog's order. */
export function mergeRuns(dirs: string[], opts: { order: string[]; notes: string[] }): ResultsFile {
  const lines = dirs.flatMap((d) => readJournals(d));
  const parts = dirs.map((d) => JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as ResultsFile);
  const ran = new Set(lines.flatMap((l) => (l.kind === 'engine' ? [l.info.id] : [])));
  return foldResults(lines, {
    startedAt: parts.map((p) => p.startedAt).sort()[0] ?? new Date().toISOString(),
    complete: parts.every((p) => p.complete),
    excludedEngines: ENGINE_IDS.filter((id) => !ran.has(id)),
    notes: [...new Set([...opts.notes, ...parts.flatMap((p) => p.environment.notes)])],
    order: opts.order,
  });
}
