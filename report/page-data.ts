// The report page's data (report/page/data.ts) made from a results file and its view: the
// compact rows inline in index.html, and the detail and search files beside it. It only
// reshapes what the results file and report/view.ts hold; it decides nothing.
import type { ResponseRecipe, Topic } from '../model/case.ts';
import type { CaseRecord, EngineId, ResultsFile } from '../model/results.ts';
import type { CaseDetail, CaseTable, EngineCell, InitiatorForm, PageData, PageView, Row, SpecCell } from './page/data.ts';
import type { ReportView } from './view.ts';

/** Cases per detail file: a dialog opens a file of about this many cases' records. */
export const CHUNK_SIZE = 100;

/** Deduplicates values by their JSON, and gives each its index. */
class Interned<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  of(value: T): number {
    const key = JSON.stringify(value);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(key, i);
    }
    return i;
  }
}

function engineCell(c: CaseRecord, engine: EngineId): EngineCell | null {
  const r = c.results[engine];
  if (!r) return null;
  const a = c.agreement?.[engine];
  return {
    outcome: r.outcome,
    preflight: r.preflight,
    ...(r.contentReadable !== undefined ? { contentReadable: r.contentReadable } : {}),
    ...(r.signal ? { signal: r.signal } : {}),
    ...(r.outcome === 'error' && r.reason ? { reason: r.reason } : {}),
    ...(a ? { agreement: a } : {}),
  };
}

function specCell(c: CaseRecord): SpecCell | null {
  if (!c.spec) return null;
  const { outcome, preflight, contentReadable, reason } = c.spec;
  return { outcome, preflight, ...(contentReadable !== undefined ? { contentReadable } : {}), reason };
}

export function caseTable(results: ResultsFile, view: ReportView, engines: readonly EngineId[]): CaseTable {
  const topics = new Interned<Topic>();
  const initiators = new Interned<InitiatorForm>();
  const specs = new Interned<SpecCell>();
  const cells = new Interned<EngineCell>();
  const rows = results.cases.map((c, i): Row => {
    const spec = specCell(c);
    return [
      c.id,
      c.title,
      topics.of(c.group),
      initiators.of({ label: view.initiatorLabels[i] ?? 'fetch', kind: c.request.initiator?.kind ?? 'fetch' }),
      spec ? specs.of(spec) : -1,
      engines.map((e) => {
        const cell = engineCell(c, e);
        return cell ? cells.of(cell) : -1;
      }),
    ];
  });
  return { topics: topics.values, initiators: initiators.values, specs: specs.values, cells: cells.values, rows };
}

function headerLines(recipe: ResponseRecipe | null): string[] {
  if (!recipe) return [];
  const lines = recipe.headers.map(([n, v]) => `${n}: ${v}`);
  if (recipe.redirect) lines.push(recipe.redirect.to, ...headerLines(recipe.redirect.next.actual), ...headerLines(recipe.redirect.next.preflight));
  return lines;
}

/** What the search finds a case by besides its id, title, topic and initiator (which the page
 *  has in its rows): the request and the response recipes, lowercase. */
export function searchText(c: CaseRecord): string {
  return [
    c.request.method,
    c.request.url,
    c.request.page.origin,
    ...c.request.headers.map(([n, v]) => `${n}: ${v}`),
    ...headerLines(c.response.preflight),
    ...headerLines(c.response.actual),
  ]
    .join('\n')
    .toLowerCase();
}

export function pageView(view: ReportView): PageView {
  const { reproduce: _reproduce, initiatorLabels: _labels, claims, ...rest } = view;
  return { ...rest, claims: claims.map(({ evidence, ...claim }) => ({ ...claim, evidenceRows: evidence.length })) };
}

export function detailChunks(results: ResultsFile, view: ReportView): CaseDetail[][] {
  const details = results.cases.map((record, i): CaseDetail => {
    const reproduce = view.reproduce[i];
    if (!reproduce) throw new Error(`the view has no reproduction for case ${record.id}`);
    return { record, reproduce };
  });
  return Array.from({ length: Math.ceil(details.length / CHUNK_SIZE) }, (_, k) => details.slice(k * CHUNK_SIZE, (k + 1) * CHUNK_SIZE));
}

export function pageData(results: ResultsFile, view: ReportView, build: string, files: PageData['files']): PageData {
  const { cases: _cases, ...run } = results;
  const engines = view.summary.map((s) => s.engine);
  return { build, run, view: pageView(view), engines, table: caseTable(results, view, engines), files };
}
