// The case row as the matrix, the topics, the claims and the divergence lists show it: a cell
// per engine readable without colour (symbol, words and a text for screen readers).
import type { Agreement, EngineId } from '../../model/results.ts';
import type { EngineCell, SpecCell } from './data.ts';
import { h } from './dom.ts';
import { type CaseRow, engineName, type Report } from './report.ts';

export const STATUS: Record<Agreement['status'] | 'none', { sym: string; label: string }> = {
  agrees: { sym: '✓', label: 'agrees with the spec' },
  'expected-divergence': { sym: '≈', label: 'expected divergence (known)' },
  'new-divergence': { sym: '✗', label: 'new divergence from the spec' },
  'unexpected-agreement': { sym: '↺', label: 'unexpected agreement: a known divergence no longer shows' },
  error: { sym: '⚠', label: 'harness error, no verdict' },
  none: { sym: '·', label: 'no verdict' },
};

/** For initiators with a test of it: whether the page could read what it loaded. */
function contentText(v: boolean | null | undefined): string {
  return v === false ? ' · unreadable' : v === true ? ' · readable' : '';
}

export function pfText(p: boolean | null | undefined): string {
  return p === null || p === undefined ? 'PF ?' : p ? 'PF' : 'no PF';
}

export function engineCell(row: CaseRow, engine: EngineId): HTMLTableCellElement {
  const r: EngineCell | undefined = row.cells[engine];
  if (!r) return h('td', { class: 'cell st-none', 'data-engine': engine }, 'not run');
  const a = r.agreement;
  const st = a ? a.status : 'none';
  const s = STATUS[st];
  const detail = [s.label];
  if (a?.differences.length) detail.push(`differs in ${a.differences.join(', ')}`);
  if (a?.divergence) detail.push(`known divergence ${a.divergence}`);
  if (r.reason) detail.push(r.reason);
  if (r.signal) detail.push(`the page saw: ${r.signal}`);
  return h(
    'td',
    { class: `cell st-${st}`, 'data-engine': engine, 'data-status': st, title: detail.join('; ') },
    h('span', { 'aria-hidden': 'true' }, `${s.sym} `),
    `${r.outcome} · ${pfText(r.preflight)}${contentText(r.contentReadable)}`,
    h('span', { class: 'sr-only' }, ` (${detail.join('; ')})`),
  );
}

export function specCell(spec: SpecCell | null): HTMLTableCellElement {
  if (!spec) return h('td', { class: 'cell spec' }, 'no expectation');
  return h('td', { class: 'cell spec', title: spec.reason }, `${spec.outcome} · ${pfText(spec.preflight)}${contentText(spec.contentReadable)}`);
}

export function caseLink(id: string, text?: string): HTMLAnchorElement {
  return h('a', { href: `#case=${encodeURIComponent(id)}`, 'data-case': id }, text ?? id);
}

export function caseRow(row: CaseRow, engines: readonly EngineId[]): HTMLTableRowElement {
  return h(
    'tr',
    { tabindex: '0', 'data-case': row.id, class: 'case-row' },
    h('th', { scope: 'row' }, h('span', { class: 'case-title', text: row.title }), h('br'), h('code', { class: 'case-id', text: row.id })),
    h('td', { text: row.topic }),
    h('td', { class: 'initiator', text: row.initiator.label }),
    specCell(row.spec),
    engines.map((e) => engineCell(row, e)),
  );
}

/** A table of case rows, as in the matrix. */
export function caseTable(report: Report, ids: readonly string[], caption: string): HTMLTableElement {
  const tbody = h('tbody');
  for (const id of ids) {
    const row = report.byId.get(id);
    if (row) tbody.append(caseRow(row, report.engines));
  }
  return h(
    'table',
    { class: 'cases' },
    h('caption', { text: caption }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Case', 'Topic', 'Initiator', 'Spec'].map((t) => h('th', { scope: 'col', text: t })),
        report.engines.map((e) => h('th', { scope: 'col', text: engineName(report, e) })),
      ),
    ),
    tbody,
  );
}
