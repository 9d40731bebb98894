// What changed since the baseline results file (report/diff.ts), when the build was given one.
import type { Observed } from '../diff.ts';
import { caseLink, pfText } from './cells.ts';
import { el, fmt, h, headRow } from './dom.ts';
import { engineName, type Report } from './report.ts';
import { LIST_CAP } from './summary.ts';

const shape = (o: Observed | null): string => (o ? `${o.outcome} · ${pfText(o.preflight)}${o.agreement ? ` · ${o.agreement}` : ''}` : 'not run');

export function renderChanges(report: Report): void {
  const baseline = report.view.baseline;
  if (!baseline) return;
  el('changes').hidden = false;
  el('nav-changes').hidden = false;
  const d = baseline.diff;
  const root = el('changes-body');
  root.append(
    h(
      'p',
      {},
      'Compared with ',
      h('code', { text: baseline.source }),
      ` (${fmt(d.old.cases)} cases, ${d.old.updatedAt}): ${fmt(d.added.length)}${d.added.length === 1 ? ' case' : ' cases'} added, ` +
        `${fmt(d.removed.length)} removed, ${fmt(d.changed.length)} changed.`,
    ),
  );
  if (d.engines.length)
    root.append(
      h('h3', { text: 'Engines' }),
      h(
        'ul',
        {},
        d.engines.map((x) => h('li', { text: `${x.engine}: ${x.field} ${x.from || '(absent)'} → ${x.to || '(absent)'}` })),
      ),
    );
  const byEngine = report.engines.flatMap((e) => {
    const t = d.byEngine[e];
    return t ? [{ e, t }] : [];
  });
  if (byEngine.length) {
    root.append(
      h('h3', { text: 'By engine' }),
      h(
        'table',
        { class: 'refs' },
        headRow(['Engine', 'Outcome changed', 'Preflight changed', 'Agreement changed', 'Results added', 'Results removed']),
        h(
          'tbody',
          {},
          byEngine.map(({ e, t }) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', text: engineName(report, e) }),
              [t.outcome, t.preflight, t.agreement, t.added, t.removed].map((n) => h('td', { text: fmt(n) })),
            ),
          ),
        ),
      ),
    );
  }
  if (d.added.length)
    root.append(
      h('h3', { text: 'Added' }),
      h(
        'p',
        {},
        d.added.slice(0, LIST_CAP).map((id, k) => [k ? ', ' : '', caseLink(id)]),
      ),
    );
  if (d.removed.length)
    root.append(
      h('h3', { text: 'Removed' }),
      h(
        'p',
        {},
        d.removed.slice(0, LIST_CAP).map((id) => h('code', { text: `${id} ` })),
      ),
    );
  if (d.changed.length) {
    root.append(
      h('h3', { text: 'Changed' }),
      h(
        'table',
        { class: 'refs', id: 'changes-table' },
        headRow(['Case', 'Engine', 'What changed', 'Before', 'Now']),
        h(
          'tbody',
          {},
          d.changed
            .slice(0, LIST_CAP)
            .map((c) => [
              c.spec
                ? h(
                    'tr',
                    {},
                    h('td', {}, caseLink(c.id)),
                    h('td', { text: 'spec' }),
                    h('td', { text: 'expectation' }),
                    h('td', { text: c.spec.from }),
                    h('td', { text: c.spec.to }),
                  )
                : null,
              c.engines.map((x) =>
                h(
                  'tr',
                  {},
                  h('td', {}, caseLink(c.id)),
                  h('td', { text: engineName(report, x.engine) }),
                  h('td', { text: x.changed.join(', ') }),
                  h('td', { text: shape(x.from) }),
                  h('td', { text: shape(x.to) }),
                ),
              ),
            ]),
        ),
      ),
    );
  }
}
