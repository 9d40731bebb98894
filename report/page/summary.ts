// The summary per engine (the results file's stored counts, checked against the cases) and the
// divergences from the standard: known ones grouped by divergence, new ones, unexpected
// agreements and harness errors.
import type { EngineSummary } from '../../model/results.ts';
import type { CaseEngineRef } from '../view.ts';
import { caseLink, engineCell, specCell } from './cells.ts';
import { el, externalLink, fmt, h, headRow, pct, prose } from './dom.ts';
import { engineInfo, engineName, type Report } from './report.ts';

/** Lists longer than this show their first entries and say how many there are. */
export const LIST_CAP = 200;

const FIELDS: ReadonlyArray<[Exclude<keyof EngineSummary, 'cases'>, string]> = [
  ['agrees', 'Agrees with spec'],
  ['agreesWithEngines', 'Agrees with other engines'],
  ['expectedDivergences', 'Expected divergences'],
  ['newDivergences', 'New divergences'],
  ['unexpectedAgreements', 'Unexpected agreements'],
  ['errors', 'Errors'],
];

function refTable(report: Report, refs: readonly CaseEngineRef[], id: string): HTMLTableElement {
  return h(
    'table',
    { class: 'refs', id },
    headRow(['Case', 'Engine', 'Differs in', 'Spec', 'Engine did']),
    h(
      'tbody',
      {},
      refs.slice(0, LIST_CAP).map((r) => {
        const row = report.byId.get(r.id);
        return h(
          'tr',
          {},
          h('td', {}, caseLink(r.id)),
          h('td', { text: engineName(report, r.engine) }),
          h('td', { text: r.differences.join(', ') || '–' }),
          row ? [specCell(row.spec), engineCell(row, r.engine)] : h('td', { colspan: '2', text: 'not in this results file' }),
        );
      }),
    ),
    refs.length > LIST_CAP ? h('caption', { text: `First ${LIST_CAP} of ${fmt(refs.length)}; filter the matrix for the rest.` }) : null,
  );
}

function summaryTable(report: Report): HTMLTableElement {
  return h(
    'table',
    { class: 'summary', id: 'summary-table' },
    h('caption', { text: `${fmt(report.rows.length)} cases. Counts per engine, from the results file’s summary; checked against the cases.` }),
    headRow(['Engine', 'Cases', ...FIELDS.map(([, label]) => label), 'Check']),
    h(
      'tbody',
      {},
      report.view.summary.map((s) => {
        const info = engineInfo(report, s.engine);
        const n = s.stored ?? s.counted;
        const check = !s.stored
          ? '⚠ no stored summary; counted from the cases'
          : s.mismatches.length
            ? `⚠ differs from the cases in ${s.mismatches.map((f) => `${f} (counted ${s.counted[f]})`).join(', ')}`
            : '✓ equals the counts from the cases';
        return h(
          'tr',
          { 'data-engine': s.engine },
          h(
            'th',
            { scope: 'row' },
            h('strong', { text: info ? info.name : s.engine }),
            ' ',
            info ? info.version : '',
            h('br'),
            h('span', { class: 'muted', text: info ? `${info.driver} · ${info.build} build` : 'no engine info' }),
          ),
          h('td', { 'data-field': 'cases', text: fmt(n.cases) }),
          FIELDS.map(([f]) =>
            h(
              'td',
              { 'data-field': f, class: f === 'newDivergences' && n[f] ? 'bad' : '' },
              fmt(n[f]),
              f === 'agrees' || f === 'agreesWithEngines' ? h('span', { class: 'muted', text: ` (${pct(n[f], n.cases)})` }) : '',
            ),
          ),
          h('td', { class: s.mismatches.length || !s.stored ? 'warn' : '', 'data-field': 'check', text: check }),
        );
      }),
    ),
  );
}

export function renderSummary(report: Report): void {
  const run = report.run;
  const v = report.view;
  const root = el('summary-body');
  if (!run.complete) root.append(h('p', { class: 'warn', role: 'note' }, '⚠ This run is incomplete: the results file was written before every case finished.'));
  root.append(
    h(
      'p',
      { class: run.excludedEngines.length ? 'warn' : '' },
      run.excludedEngines.length ? `⚠ Engines left out by name: ${run.excludedEngines.join(', ')}.` : 'Excluded engines: none.',
    ),
    summaryTable(report),
  );

  const div = el('divergences-body');
  const expected = v.expectedDivergences;
  div.append(h('h3', { text: `Expected divergences (${fmt(expected.reduce((a, g) => a + g.cases.length, 0))} results)` }));
  if (!expected.length) div.append(h('p', { text: 'No known divergences were listed for this run.' }));
  for (const g of expected) {
    div.append(
      h(
        'section',
        { class: 'divergence', 'data-divergence': g.id },
        h('h4', {}, g.title, ' ', h('code', { text: g.id })),
        g.observed ? h('p', {}, prose(g.observed)) : null,
        g.engines.length ? h('p', { class: 'muted', text: `Listed for: ${g.engines.join(', ')}` }) : null,
        g.evidence.length
          ? h(
              'ul',
              { class: 'evidence' },
              g.evidence.map((u) => h('li', {}, externalLink(u, u))),
            )
          : null,
        g.cases.length
          ? h(
              'p',
              {},
              `${fmt(g.cases.length)} results: `,
              g.cases.slice(0, LIST_CAP).map((x, k) => [k ? ', ' : '', caseLink(x.id), ` (${x.engine})`]),
              g.cases.length > LIST_CAP ? ' …' : '',
            )
          : h('p', { class: 'muted', text: 'No case in this run showed it.' }),
      ),
    );
  }
  div.append(h('h3', { text: `New divergences (${fmt(v.newDivergences.length)})` }));
  if (!v.newDivergences.length) div.append(h('p', { text: 'None: every difference from the spec model is explained by a known divergence.' }));
  else div.append(refTable(report, v.newDivergences, 'new-divergences'));
  if (v.unexpectedAgreements.length) {
    div.append(
      h('h3', { text: `Unexpected agreements (${fmt(v.unexpectedAgreements.length)})` }),
      h('p', { text: 'A known divergence is listed for these, but the engine now does what the spec requires.' }),
      refTable(report, v.unexpectedAgreements, 'unexpected'),
    );
  }
  if (v.errors.length) div.append(h('h3', { text: `Harness errors (${fmt(v.errors.length)})` }), refTable(report, v.errors, 'errors'));
}
