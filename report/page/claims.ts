// Statements often made about CORS, each with the verdict report/claims.ts gave per engine
// from this run's rows, and the rows that decided it.
import type { ClaimVerdict } from '../claims.ts';
import { caseLink } from './cells.ts';
import { el, fmt, h, headRow, prose } from './dom.ts';
import { engineName, type Report } from './report.ts';

const VERDICT: Record<ClaimVerdict, string> = { true: '✓ true', false: '✗ false', 'not measured': '– not measured' };

export function renderClaims(report: Report): void {
  const root = el('claims-body');
  for (const cl of report.view.claims) {
    root.append(
      h(
        'section',
        { class: 'claim', 'data-claim': cl.id },
        h('h3', {}, '“', prose(cl.statement), '”'),
        h('p', {}, prose(cl.truth)),
        h(
          'table',
          { class: 'claim-verdicts' },
          h('caption', { text: `${fmt(cl.evidenceRows)} evidence rows` }),
          headRow(['Engine', 'Verdict', 'Because', 'Deciding rows']),
          h(
            'tbody',
            {},
            report.engines.map((e) => {
              const v = cl.engines[e];
              if (!v) return null;
              return h(
                'tr',
                { 'data-engine': e },
                h('th', { scope: 'row', text: engineName(report, e) }),
                h('td', { class: `verdict v-${v.verdict.replace(' ', '-')}`, 'data-verdict': v.verdict, text: VERDICT[v.verdict] }),
                h('td', { text: v.because }),
                h(
                  'td',
                  {},
                  v.cases.map((id, k) => [k ? ', ' : '', caseLink(id)]),
                ),
              );
            }),
          ),
        ),
      ),
    );
  }
}
