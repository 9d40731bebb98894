// The matrix: one row per case, the filters, the search and the pager. The search text of every
// case is loaded from its file the first time a search needs it.
import type { EngineId } from '../../model/results.ts';
import { caseRow } from './cells.ts';
import { el, fmt, h } from './dom.ts';
import { type CaseRow, engineInfo, engineName, type Report, searchHaystacks } from './report.ts';
import { current, type Filters, NO_FILTERS, setState } from './state.ts';

const PAGE_SIZE = 100;

function matches(row: CaseRow, s: Filters, engines: readonly EngineId[]): boolean {
  if (s.topic && row.topic !== s.topic) return false;
  if (s.initiator && row.initiator.kind !== s.initiator) return false;
  if (s.engine && !row.cells[s.engine]) return false;
  const agreements = engines.flatMap((e) => {
    const a = row.cells[e]?.agreement;
    return a ? [a] : [];
  });
  if (s.div && !agreements.some((a) => a.status === 'expected-divergence' || a.status === 'new-divergence')) return false;
  if (s.fail && !agreements.some((a) => a.differences.length > 0)) return false;
  if (s.disagree && !agreements.some((a) => a.withEngines === false)) return false;
  return true;
}

/** The rows the filters keep; the search's haystacks when it has terms. */
function filtered(report: Report, s: Filters, haystacks: readonly string[] | null): CaseRow[] {
  const engines = s.engine ? [s.engine] : report.engines;
  const terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
  return report.rows.filter((row) => {
    if (!matches(row, s, engines)) return false;
    if (!terms.length || !haystacks) return true;
    const hay = haystacks[row.index] ?? '';
    return terms.every((t) => hay.includes(t));
  });
}

export function syncControls(): void {
  const s = current();
  el('f-topic', HTMLSelectElement).value = s.topic;
  el('f-initiator', HTMLSelectElement).value = s.initiator;
  el('f-engine', HTMLSelectElement).value = s.engine;
  el('f-div', HTMLInputElement).checked = s.div;
  el('f-fail', HTMLInputElement).checked = s.fail;
  el('f-disagree', HTMLInputElement).checked = s.disagree;
  const q = el('f-q', HTMLInputElement);
  if (document.activeElement !== q) q.value = s.q;
}

let firstRowsRendered = false;
let renders = 0;

function renderRows(report: Report, s: Filters, rows: readonly CaseRow[]): void {
  const total = report.rows.length;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(s.page, pages);
  const start = (page - 1) * PAGE_SIZE;
  const slice = rows.slice(start, start + PAGE_SIZE);
  const engines = s.engine ? [s.engine] : report.engines;

  el('matrix-head').replaceChildren(
    h(
      'tr',
      {},
      ['Case', 'Topic', 'Initiator', 'Spec'].map((t) => h('th', { scope: 'col', text: t })),
      engines.map((e) => {
        const info = engineInfo(report, e);
        return h('th', { scope: 'col', 'data-engine': e }, engineName(report, e), info ? h('span', { class: 'version', text: ` ${info.version}` }) : null);
      }),
    ),
  );
  const body = el('matrix-body');
  body.replaceChildren(...slice.map((row) => caseRow(row, engines)));
  if (!slice.length) body.append(h('tr', {}, h('td', { colspan: String(4 + engines.length), text: 'No case matches these filters.' })));

  const count = el('matrix-count');
  count.textContent = rows.length
    ? `Rows ${fmt(start + 1)}–${fmt(start + slice.length)} of ${fmt(rows.length)}${rows.length !== total ? ` (filtered from ${fmt(total)})` : ''}`
    : `0 of ${fmt(total)} cases match`;
  count.dataset.matching = String(rows.length);
  count.dataset.query = s.q;
  el('page-label').textContent = `Page ${page} of ${pages}`;
  el('page-first', HTMLButtonElement).disabled = el('page-prev', HTMLButtonElement).disabled = page <= 1;
  el('page-next', HTMLButtonElement).disabled = el('page-last', HTMLButtonElement).disabled = page >= pages;
  el('page-last').dataset.page = String(pages);

  if (!firstRowsRendered) {
    firstRowsRendered = true;
    performance.mark('cc-rows-rendered');
    document.documentElement.dataset.rowsRenderedMs = String(Math.round(performance.now()));
  }
}

/** Renders the matrix for the current state. Without search terms it finishes synchronously;
 *  with them it waits for the search text, and a newer render supersedes it. */
export async function renderMatrix(report: Report): Promise<void> {
  const mine = ++renders;
  const start = performance.now();
  const s = current();
  let haystacks: string[] | null = null;
  if (s.q.trim()) {
    try {
      haystacks = await searchHaystacks(report);
    } catch (err) {
      if (mine !== renders) return;
      el('matrix-body').replaceChildren();
      const count = el('matrix-count');
      count.textContent = `The search could not load: ${err instanceof Error ? err.message : String(err)}`;
      count.dataset.matching = '0';
      count.dataset.query = s.q;
      return;
    }
    if (mine !== renders) return;
  }
  renderRows(report, current(), filtered(report, current(), haystacks));
  // For scripts/measure-report-load.ts: how long the filters and the search took to show.
  performance.measure('cc-matrix', { start });
}

export function initMatrix(report: Report): void {
  // Enter in the search box would submit the form, which reloads the page.
  el('filters').addEventListener('submit', (ev) => ev.preventDefault());
  const topic = el('f-topic', HTMLSelectElement);
  topic.append(h('option', { value: '', text: `All topics (${fmt(report.rows.length)})` }));
  for (const t of report.view.topics) topic.append(h('option', { value: t.id, text: `${t.id} (${fmt(t.cases)})` }));
  const initiator = el('f-initiator', HTMLSelectElement);
  initiator.append(h('option', { value: '', text: 'All initiators' }));
  const perKind = new Map<string, number>();
  for (const r of report.rows) perKind.set(r.initiator.kind, (perKind.get(r.initiator.kind) ?? 0) + 1);
  for (const k of report.initiatorKinds) initiator.append(h('option', { value: k, text: `${k} (${fmt(perKind.get(k) ?? 0)})` }));
  const engine = el('f-engine', HTMLSelectElement);
  engine.append(h('option', { value: '', text: 'All engines' }));
  for (const e of report.engines) engine.append(h('option', { value: e, text: engineName(report, e) }));

  const onFilter = (): void => {
    const picked = <T extends string>(known: readonly T[], value: string): T | '' => known.find((k) => k === value) ?? '';
    setState({
      topic: picked(report.topics, topic.value),
      initiator: picked(report.initiatorKinds, initiator.value),
      engine: picked(report.engines, engine.value),
      div: el('f-div', HTMLInputElement).checked,
      fail: el('f-fail', HTMLInputElement).checked,
      disagree: el('f-disagree', HTMLInputElement).checked,
      q: el('f-q', HTMLInputElement).value.trim(),
      page: 1,
    });
    void renderMatrix(report);
  };
  for (const id of ['f-topic', 'f-initiator', 'f-engine', 'f-div', 'f-fail', 'f-disagree']) el(id).addEventListener('change', onFilter);
  let timer = 0;
  el('f-q').addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(onFilter, 120);
  });
  el('f-reset').addEventListener('click', () => {
    setState({ ...NO_FILTERS });
    syncControls();
    void renderMatrix(report);
  });
  const go = (page: number): void => {
    setState({ page });
    void renderMatrix(report);
    el('matrix-table').focus();
  };
  el('page-first').addEventListener('click', () => go(1));
  el('page-prev').addEventListener('click', () => go(Math.max(1, current().page - 1)));
  el('page-next').addEventListener('click', () => go(current().page + 1));
  el('page-last').addEventListener('click', () => go(Number.parseInt(el('page-last').dataset.page ?? '1', 10)));
}
