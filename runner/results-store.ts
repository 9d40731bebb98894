// Results are written as cases complete. Workers judge each case once and append journal
// lines (one file per worker, append-only, so a crash or a kill keeps every finished chunk);
// the reporter folds new journal lines into reports/<run>/results.json as they arrive. The
// fold only adds what is new: a case's cross-engine comparison and its share of the summary
// are recomputed when one of its engines reports, and each case is serialized once per change.
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { CorsCase } from '../model/case.ts';
import {
  EMPTY_SUMMARY,
  ENGINE_IDS,
  type Agreement,
  type CaseRecord,
  type EngineId,
  type EngineInfo,
  type EngineResult,
  type EngineSummary,
  type KnownDivergence,
  type ResultsFile,
  type SpecExpectation,
} from '../model/results.ts';
import { withEngines, type Verdict } from './verdict.ts';
import { PACKAGE_VERSION } from '../model/package.ts';

const TOOL_VERSION: string = PACKAGE_VERSION;

export type JournalLine =
  | { kind: 'engine'; info: EngineInfo }
  | { kind: 'case'; engine: EngineId; record: Omit<CaseRecord, 'results' | 'agreement'>; result: EngineResult; verdict?: Verdict };

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
  cases(engine: EngineId, done: Array<{ case: CorsCase; spec?: SpecExpectation; result: EngineResult; verdict?: Verdict }>): void {
    this.write(
      done.map(({ case: c, spec, result, verdict }) => ({
        kind: 'case' as const,
        engine,
        record: {
          id: c.id,
          group: c.group,
          title: c.title,
          request: c.request,
          response: c.response,
          ...(c.question ? { question: c.question } : {}),
          ...(spec ? { spec } : {}),
        },
        result,
        ...(verdict ? { verdict } : {}),
      })),
    );
  }
}

export function resetRun(dir: string): void {
  rmSync(journalDir(dir), { recursive: true, force: true });
  mkdirSync(journalDir(dir), { recursive: true });
}

function parseLines(text: string): JournalLine[] {
  const out: JournalLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalLine);
    } catch {
      // A line cut short by a kill: everything before it stands.
    }
  }
  return out;
}

export function readJournals(dir: string): JournalLine[] {
  const jdir = journalDir(dir);
  if (!existsSync(jdir)) return [];
  return readdirSync(jdir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => parseLines(readFileSync(join(jdir, f), 'utf8')));
}

/** Reads only what the journals gained since the last call; a line still being written waits. */
export class JournalTail {
  private readonly offsets = new Map<string, number>();
  constructor(private readonly dir: string) {}

  next(): JournalLine[] {
    const jdir = journalDir(this.dir);
    if (!existsSync(jdir)) return [];
    const lines: JournalLine[] = [];
    for (const f of readdirSync(jdir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort()) {
      const path = join(jdir, f);
      const from = this.offsets.get(f) ?? 0;
      const size = statSync(path).size;
      if (size <= from) continue;
      const buf = Buffer.alloc(size - from);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buf, 0, buf.length, from);
      } finally {
        closeSync(fd);
      }
      const end = buf.lastIndexOf(0x0a);
      if (end < 0) continue;
      this.offsets.set(f, from + end + 1);
      lines.push(...parseLines(buf.subarray(0, end).toString('utf8')));
    }
    return lines;
  }
}

export interface FoldOptions {
  startedAt: string;
  complete: boolean;
  excludedEngines: EngineId[];
  notes: string[];
  /** The known divergences the verdicts were judged against (listed in the file). */
  divergences: KnownDivergence[];
}

const STATUS_FIELD: Record<Agreement['status'], keyof EngineSummary> = {
  agrees: 'agrees',
  'expected-divergence': 'expectedDivergences',
  'new-divergence': 'newDivergences',
  'unexpected-agreement': 'unexpectedAgreements',
  error: 'errors',
};

interface Folded {
  record: CaseRecord;
  verdicts: Partial<Record<EngineId, Verdict>>;
  /** The case serialized, or null after a change. */
  json: string | null;
}

/** The results file built up line by line; `toFile` and `serialize` give its current state. */
export class ResultsFold {
  private readonly engines = new Map<EngineId, EngineInfo>();
  private readonly cases = new Map<string, Folded>();
  private readonly rank: Map<string, number>;
  private readonly summary = new Map<EngineId, EngineSummary>();
  private sorted: Folded[] | null = null;

  /** `order`: case ids in their defined order, so the file's order never depends on timing. */
  constructor(order: readonly string[] = []) {
    this.rank = new Map(order.map((id, i) => [id, i]));
  }

  add(lines: readonly JournalLine[]): void {
    const touched = new Set<Folded>();
    for (const l of lines) {
      if (l.kind === 'engine') {
        this.engines.set(l.info.id, l.info);
        continue;
      }
      let f = this.cases.get(l.record.id);
      if (!f) {
        f = { record: { ...l.record, results: {} }, verdicts: {}, json: null };
        this.cases.set(l.record.id, f);
        this.sorted = null;
      }
      f.record.results[l.engine] = l.result;
      if (l.verdict) f.verdicts[l.engine] = l.verdict;
      touched.add(f);
    }
    for (const f of touched) this.refresh(f);
  }

  /** Recomputes one case's agreement (its verdicts plus the cross-engine comparison) and its share of the summary. */
  private refresh(f: Folded): void {
    this.count(f.record.agreement, -1);
    const agreement = f.record.spec ? withEngines(f.record.results, f.verdicts) : undefined;
    if (agreement) f.record.agreement = agreement;
    else delete f.record.agreement;
    this.count(agreement, +1);
    f.json = null;
  }

  private count(agreement: CaseRecord['agreement'], sign: 1 | -1): void {
    for (const [id, a] of Object.entries(agreement ?? {}) as Array<[EngineId, Agreement]>) {
      const s = this.summary.get(id) ?? { ...EMPTY_SUMMARY };
      s.cases += sign;
      s[STATUS_FIELD[a.status]] += sign;
      if (a.withEngines) s.agreesWithEngines += sign;
      this.summary.set(id, s);
    }
  }

  private inOrder(): Folded[] {
    this.sorted ??= [...this.cases.values()].sort(
      (a, b) => (this.rank.get(a.record.id) ?? Infinity) - (this.rank.get(b.record.id) ?? Infinity) || a.record.id.localeCompare(b.record.id),
    );
    return this.sorted;
  }

  private header(opts: FoldOptions): Omit<ResultsFile, 'cases'> {
    const summary: Partial<Record<EngineId, EngineSummary>> = {};
    for (const id of ENGINE_IDS) {
      const s = this.summary.get(id);
      if (s && s.cases > 0) summary[id] = { ...s };
    }
    return {
      schema: 'cors-conformance/results@1',
      tool: { name: 'cors-conformance', version: TOOL_VERSION },
      startedAt: opts.startedAt,
      updatedAt: new Date().toISOString(),
      complete: opts.complete,
      environment: { platform: `${process.platform}-${process.arch}`, cpus: cpus().length, node: process.version, notes: opts.notes },
      engines: ENGINE_IDS.filter((id) => this.engines.has(id)).map((id) => this.engines.get(id) as EngineInfo),
      excludedEngines: opts.excludedEngines,
      summary,
      divergences: opts.divergences,
    };
  }

  toFile(opts: FoldOptions): ResultsFile {
    return { ...this.header(opts), cases: this.inOrder().map((f) => f.record) };
  }

  /** The file as JSON, one case per line; only cases that changed since the last call are serialized again. */
  serialize(opts: FoldOptions): string {
    const head = JSON.stringify(this.header(opts), null, 1);
    const cases = this.inOrder().map((f) => (f.json ??= JSON.stringify(f.record)));
    return `${head.slice(0, -2)},\n "cases": [\n${cases.join(',\n')}\n ]\n}\n`;
  }
}

export function foldResults(lines: readonly JournalLine[], opts: FoldOptions & { order?: readonly string[] }): ResultsFile {
  const fold = new ResultsFold(opts.order);
  fold.add(lines);
  return fold.toFile(opts);
}

export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function writeJsonAtomic(file: string, data: unknown): void {
  writeFileAtomic(file, JSON.stringify(data, null, 1));
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
    divergences: parts[0]?.divergences ?? [],
    order: opts.order,
  });
}
