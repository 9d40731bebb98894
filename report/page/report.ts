// The report as the page holds it: the data of index.html (report/page/data.ts), its rows
// decoded once, and the case details and search text, loaded from their files when first needed.
import type { Topic } from '../../model/case.ts';
import type { EngineId, EngineInfo } from '../../model/results.ts';
import { type CaseDetail, DATA_ELEMENT, type EngineCell, type InitiatorForm, type PageData, type SpecCell } from './data.ts';
import { el } from './dom.ts';
import { acceptDataFiles, loadDataFile } from './files.ts';

export interface CaseRow {
  /** Position in the results file's cases. */
  index: number;
  id: string;
  title: string;
  topic: Topic;
  initiator: InitiatorForm;
  spec: SpecCell | null;
  /** Absent: the engine did not run the case. */
  cells: Partial<Record<EngineId, EngineCell>>;
}

export interface Report {
  data: PageData;
  run: PageData['run'];
  view: PageData['view'];
  /** The engine columns, in order. */
  engines: EngineId[];
  topics: Topic[];
  /** What made the requests, `fetch` or another initiator kind, in order of first appearance. */
  initiatorKinds: Array<InitiatorForm['kind']>;
  rows: CaseRow[];
  byId: Map<string, CaseRow>;
}

export function decodeRows(data: PageData): CaseRow[] {
  const t = data.table;
  const pick = <T>(table: readonly T[], i: number, what: string): T => {
    const v = table[i];
    if (v === undefined) throw new Error(`the report's data names ${what} ${i}, which its table lacks`);
    return v;
  };
  return t.rows.map(([id, title, topic, initiator, spec, cells], index) => {
    const byEngine: Partial<Record<EngineId, EngineCell>> = {};
    data.engines.forEach((e, j) => {
      const k = cells[j] ?? -1;
      if (k >= 0) byEngine[e] = pick(t.cells, k, 'cell');
    });
    return {
      index,
      id,
      title,
      topic: pick(t.topics, topic, 'topic'),
      initiator: pick(t.initiators, initiator, 'initiator'),
      spec: spec >= 0 ? pick(t.specs, spec, 'spec cell') : null,
      cells: byEngine,
    };
  });
}

export function readReport(): Report {
  // The build wrote this JSON (report/build.ts) to the contract of report/page/data.ts.
  const data: PageData = JSON.parse(el(DATA_ELEMENT).textContent ?? '');
  acceptDataFiles(data.build);
  const rows = decodeRows(data);
  return {
    data,
    run: data.run,
    view: data.view,
    engines: data.engines,
    topics: data.view.topics.map((t) => t.id),
    initiatorKinds: [...new Set(rows.map((r) => r.initiator.kind))],
    rows,
    byId: new Map(rows.map((r) => [r.id, r])),
  };
}

export function engineInfo(report: Report, id: EngineId): EngineInfo | undefined {
  return report.run.engines.find((e) => e.id === id);
}

export function engineName(report: Report, id: EngineId): string {
  return engineInfo(report, id)?.name ?? id;
}

/** One case's full record and reproduction, from its detail file. */
export async function caseDetail(report: Report, row: CaseRow): Promise<CaseDetail> {
  const { chunkSize, details } = report.data.files;
  const k = Math.floor(row.index / chunkSize);
  const file = details[k];
  if (file === undefined) throw new Error(`the report lists no detail file for case ${row.id}`);
  const chunk: CaseDetail[] = JSON.parse(await loadDataFile(file));
  const detail = chunk[row.index - k * chunkSize];
  if (detail?.record.id !== row.id) throw new Error(`${file} does not hold case ${row.id} where the report expects it`);
  return detail;
}

let haystacks: Promise<string[]> | null = null;

/** Per row, everything the search looks at, lowercase. */
export function searchHaystacks(report: Report): Promise<string[]> {
  haystacks ??= loadDataFile(report.data.files.search).then((json) => {
    const extra: string[] = JSON.parse(json);
    if (extra.length !== report.rows.length) throw new Error(`${report.data.files.search} has ${extra.length} cases, the report ${report.rows.length}`);
    return report.rows.map((r, i) => `${r.id}\n${r.title}\n${r.topic}\n${r.initiator.label}`.toLowerCase() + '\n' + (extra[i] ?? ''));
  });
  haystacks.catch(() => {
    haystacks = null;
  });
  return haystacks;
}
